//go:build linux

// The interrupt tests of bad input use Linux file leases and fanotify to stall a file.

package main

import (
	"bytes"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestBadInputMainChild runs the command's main, signal handling included, in a child
// process: the arguments come from $ENTENTE_MAIN_CHILD_ARGS, separated by the unit
// separator (0x1f). It is the built binary of the tests below, which send it signals.
func TestBadInputMainChild(t *testing.T) {
	args := os.Getenv("ENTENTE_MAIN_CHILD_ARGS")
	if args == "" {
		t.Skip("not a test by itself: the child process of the interrupt tests of bad input")
	}
	os.Args = append([]string{"entente"}, strings.Split(args, "\x1f")...)
	main() // exits
}

// child is the command line running as a child process.
type child struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	done   chan struct{}
	code   int
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	c := &child{cmd: exec.Command(os.Args[0], "-test.run=^TestBadInputMainChild$"), done: make(chan struct{})}
	// The child's read cache in the test's own folder, not the user's.
	c.cmd.Env = append(os.Environ(), "ENTENTE_MAIN_CHILD_ARGS="+strings.Join(args, "\x1f"), "ENTENTE_DB=", "ENTENTE_STORE=",
		"ENTENTE_CACHE="+t.TempDir())
	c.cmd.Stderr = &c.stderr
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		c.cmd.Wait()
		c.code = c.cmd.ProcessState.ExitCode()
		close(c.done)
	}()
	t.Cleanup(func() {
		select {
		case <-c.done:
		default:
			c.cmd.Process.Kill()
			<-c.done
		}
	})
	return c
}

// exited waits up to d for the child to end and reports whether it did.
func (c *child) exited(d time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(d):
		return false
	}
}

// A named pipe and a device are refused up front, by every format, exit 2 naming the
// file: no read of them ever starts, so nothing waits for a writer (a FIFO) or reads
// forever (/dev/zero). The command must end by itself; if it has not within 20 s, one
// Ctrl-C must end it within 2 s, and the test fails either way.
func TestBadInputSpecialFilesRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "votes.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipe here: %v", err)
	}
	for _, file := range []struct{ path, kind string }{{fifo, "a named pipe (FIFO)"}, {"/dev/zero", "a device"}} {
		for _, source := range []string{"unvotes", "gdelt", "aid", "atop", "igo", "idealpoints", "ucdp", "sipri", "force", "ledger"} {
			began := time.Now()
			c := startChild(t, "import", source, file.path, "--db", filepath.Join(t.TempDir(), "s.db"), "--quiet")
			if !c.exited(20 * time.Second) {
				t.Errorf("import %s %s did not end by itself within 20 s", source, file.path)
				start := time.Now()
				c.cmd.Process.Signal(os.Interrupt)
				if !c.exited(2 * time.Second) {
					t.Errorf("import %s %s did not stop within 2 s of Ctrl-C", source, file.path)
				} else {
					t.Logf("stopped %v after Ctrl-C", time.Since(start))
				}
				continue
			}
			t.Logf("import %s %s refused, the command ended %v after it started", source, file.path, time.Since(began).Round(time.Millisecond))
			want := file.path + " is " + file.kind + ", not a regular file"
			if c.code != 2 || !strings.Contains(c.stderr.String(), want) {
				t.Errorf("import %s %s: exit %d, stderr %q; want exit 2 and %q", source, file.path, c.code, c.stderr.String(), want)
			}
		}
	}
}

// leased holds a write lease on a new file at path: whoever opens the file then waits
// in open(2) until the lease is released or the kernel breaks it (lease-break-time, 45
// s by default), as a read of a file on a stuck network mount waits. The holder learns
// of the wait by SIGIO, sent to broken.
type leased struct {
	f      *os.File
	broken chan os.Signal
}

const fSetLease = 1024 // F_SETLEASE, fcntl(2)

func lease(t *testing.T, path string, data []byte) *leased {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	l := &leased{f: f, broken: make(chan os.Signal, 1)}
	signal.Notify(l.broken, syscall.SIGIO)
	if _, _, errno := syscall.Syscall(syscall.SYS_FCNTL, f.Fd(), fSetLease, syscall.F_WRLCK); errno != 0 {
		signal.Stop(l.broken)
		f.Close()
		t.Skipf("no file lease here (fcntl F_SETLEASE: %v): no way to stall an open", errno)
	}
	t.Cleanup(l.release)
	return l
}

func (l *leased) release() {
	syscall.Syscall(syscall.SYS_FCNTL, l.f.Fd(), fSetLease, syscall.F_UNLCK)
	signal.Stop(l.broken)
	l.f.Close()
}

// stallCases are the files of the stall tests: one of every format (and a zip).
var stallCases = []struct{ source, name string }{
	{"unvotes", "un_votes.csv"},
	{"gdelt", "20250101000000.export.CSV"},
	{"gdelt", "20250101000000.export.CSV.zip"},
	{"aid", "kiel_ust_data_explorer.csv"},
	{"atop", "atop.csv"},
	{"igo", "igo.csv"},
	{"idealpoints", "ideal.csv"},
	{"ucdp", "ucdp.csv"},
	{"rivalry", "rivalry.csv"},
	{"mids", "mids.csv"},
	{"sipri", "sipri.csv"},
	{"force", "force.csv"},
	{"ledger", "acts.yaml"},
}

// A stalled open (a file on a stuck network mount; here a file under a lease) does not
// hold an import past a single Ctrl-C: the built command, in a child process, stops
// within 2 s of one SIGINT, saying it was interrupted (exit 1), for every format, in its
// first pass over the file (the digest, the look at the first lines).
func TestBadInputStalledOpenStopsOnCtrlC(t *testing.T) {
	const limit = 2 * time.Second
	head := []byte("a,b\n1,2\n")
	for _, tc := range stallCases {
		t.Run(tc.source+"/"+tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.name)
			l := lease(t, path, head)
			c := startChild(t, "import", tc.source, path, "--db", filepath.Join(dir, "s.db"), "--quiet")
			select {
			case <-l.broken:
			case <-c.done:
				t.Fatalf("the import ended before it opened the file: exit %d\n%s", c.code, c.stderr.String())
			case <-time.After(30 * time.Second):
				t.Fatalf("the import did not open the file within 30 s:\n%s", c.stderr.String())
			}
			time.Sleep(200 * time.Millisecond) // well into the stall
			start := time.Now()
			c.cmd.Process.Signal(os.Interrupt)
			if !c.exited(limit) {
				t.Fatalf("import %s of a stalled file did not stop within %v of one Ctrl-C\n%s", tc.source, limit, c.stderr.String())
			}
			took := time.Since(start)
			t.Logf("import %s stopped %v after Ctrl-C", tc.source, took.Round(time.Millisecond))
			if c.code != 1 || !strings.Contains(c.stderr.String(), "interrupted") {
				t.Errorf("import %s, interrupted: exit %d, stderr %q; want exit 1 saying it was interrupted", tc.source, c.code, c.stderr.String())
			}
		})
	}
}

// Linux fanotify(7), for a read that stalls: a listener marks a file so that every read
// of it waits in the kernel for the listener's answer, which never comes.
const (
	fanClassContent = 0x4     // FAN_CLASS_CONTENT
	fanNonblock     = 0x2     // FAN_NONBLOCK
	fanCloexec      = 0x1     // FAN_CLOEXEC
	fanMarkAdd      = 0x1     // FAN_MARK_ADD
	fanAccessPerm   = 0x20000 // FAN_ACCESS_PERM
	atFDCWD         = -100    // AT_FDCWD
)

// stallReads makes every read of the file at path wait until the test ends, and returns
// a channel that gets the pid of each process whose read waits. It skips the test when
// fanotify is not there or not allowed (it needs CAP_SYS_ADMIN).
func stallReads(t *testing.T, path string) <-chan int32 {
	t.Helper()
	fd, _, errno := syscall.Syscall(syscall.SYS_FANOTIFY_INIT, fanClassContent|fanNonblock|fanCloexec, uintptr(syscall.O_RDONLY|syscall.O_CLOEXEC), 0)
	if errno != 0 {
		t.Skipf("no fanotify permission events here (fanotify_init: %v; they need CAP_SYS_ADMIN): no way to stall a read of a regular file", errno)
	}
	p, err := syscall.BytePtrFromString(path)
	if err != nil {
		t.Fatal(err)
	}
	dirfd := atFDCWD
	if _, _, errno := syscall.Syscall6(syscall.SYS_FANOTIFY_MARK, fd, fanMarkAdd, fanAccessPerm, uintptr(dirfd), uintptr(unsafe.Pointer(p)), 0); errno != 0 {
		syscall.Close(int(fd))
		t.Skipf("no fanotify read permission events here (fanotify_mark: %v)", errno)
	}
	pids := make(chan int32, 16)
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			select {
			case <-stop:
				return
			default:
			}
			n, err := syscall.Read(int(fd), buf)
			if err != nil || n <= 0 {
				time.Sleep(5 * time.Millisecond) // EAGAIN: no event yet
				continue
			}
			// struct fanotify_event_metadata: event_len u32, vers u8, reserved u8,
			// metadata_len u16, mask u64, fd s32, pid s32.
			for off := 0; off+24 <= n; {
				evLen := int(*(*uint32)(unsafe.Pointer(&buf[off])))
				evFD := *(*int32)(unsafe.Pointer(&buf[off+16]))
				pid := *(*int32)(unsafe.Pointer(&buf[off+20]))
				if evFD >= 0 {
					syscall.Close(int(evFD)) // never answered: the read waits
				}
				select {
				case pids <- pid:
				default:
				}
				if evLen <= 0 {
					break
				}
				off += evLen
			}
		}
	}()
	t.Cleanup(func() {
		close(stop)
		<-done
		syscall.Close(int(fd)) // the waiting reads go on
	})
	return pids
}

// A read that stalls (a file on a stuck network mount: the read never returns) does not
// hold an import past a single Ctrl-C: the built command, in a child process, stops
// within 2 s of one SIGINT, saying it was interrupted (exit 1), for every format, in its
// first pass over the file (the digest, the look at the first lines).
func TestBadInputStalledReadStopsOnCtrlC(t *testing.T) {
	const limit = 2 * time.Second
	for _, tc := range stallCases {
		t.Run(tc.source+"/"+tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, tc.name)
			if err := os.WriteFile(path, []byte("a,b\n1,2\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			pids := stallReads(t, path)
			c := startChild(t, "import", tc.source, path, "--db", filepath.Join(dir, "s.db"), "--quiet")
			for waiting := false; !waiting; {
				select {
				case pid := <-pids:
					waiting = int(pid) == c.cmd.Process.Pid
				case <-c.done:
					t.Fatalf("the import ended before it read the file: exit %d\n%s", c.code, c.stderr.String())
				case <-time.After(30 * time.Second):
					t.Fatalf("the import did not read the file within 30 s:\n%s", c.stderr.String())
				}
			}
			time.Sleep(200 * time.Millisecond) // well into the stall
			start := time.Now()
			c.cmd.Process.Signal(os.Interrupt)
			if !c.exited(limit) {
				t.Fatalf("import %s of a file whose read stalls did not stop within %v of one Ctrl-C\n%s", tc.source, limit, c.stderr.String())
			}
			t.Logf("import %s stopped %v after Ctrl-C", tc.source, time.Since(start).Round(time.Millisecond))
			if c.code != 1 || !strings.Contains(c.stderr.String(), "interrupted") {
				t.Errorf("import %s, interrupted: exit %d, stderr %q; want exit 1 saying it was interrupted", tc.source, c.code, c.stderr.String())
			}
		})
	}
}
