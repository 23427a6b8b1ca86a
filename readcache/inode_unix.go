//go:build unix

package readcache

import (
	"io/fs"
	"syscall"
)

// inode is the file's inode number: a store replaced by another file of the same size
// and time is still another file.
func inode(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Ino)
	}
	return 0
}
