package ledger

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/entente/entente"
	"github.com/entente/entente/ingest/inputfile"
)

// Options tune an import. The zero value is valid.
type Options struct {
	// Now is the clock's date, after which no act may be dated; zero means time.Now().
	Now time.Time
	// Orgs tells organisation codes; nil means IsOrganisation.
	Orgs func(string) bool
}

// Result accounts for one ledger file of an import: Read counts its entries (every
// entry of the top-level list is one record: an act or a quarantined entry).
type Result = inputfile.Result

// Import maps the ledger files named by paths (files, folders and globs, as Load) into
// w, one file between w.StartFile and w.FinishFile. Each file is read once: its digest is
// of the bytes parsed. The ledger's own validation runs first, over all files together
// (ids are unique across files, Check): an entry with any error, from Parse or from
// Check, is quarantined with its file, its first line and every reason; the others are
// passed as acts. A file that is not a list of entries at all (a YAML syntax error, an
// empty file, a missing path), an error of w or a cancelled ctx stops the import with an
// error: the caller's store then keeps nothing of it.
//
// Typical wiring, in cmd/entente:
//
//	reports, err := store.ImportTies(ctx, func(w entente.TieWriter) error {
//		_, err := ledger.Import(ctx, w, registry, paths, ledger.Options{Now: now})
//		return err
//	})
func Import(ctx context.Context, w entente.TieWriter, countries entente.CountryService, paths []string, opt Options) ([]Result, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	data := map[string][]byte{}
	sums := map[string]string{}
	acts, files, errs := loadWith(paths, func(name string) ([]Act, []error) {
		b, sum, err := inputfile.ReadAll(ctx, inputfile.File{Path: name})
		if err != nil {
			return nil, []error{fmt.Errorf("open ledger: %w", err)}
		}
		data[name], sums[name] = b, sum
		return Parse(bytes.NewReader(b), name)
	})
	errs = append(errs, Check(acts, countries, opt.Now, opt.Orgs)...)
	byFile := map[string][]*entente.ParseError{}
	for _, err := range errs {
		var pe *entente.ParseError
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("import ledger: %w", err)
		}
		if !errors.As(err, &pe) {
			return nil, entente.Errorf(entente.EINVALID, "import ledger: %v", err)
		}
		byFile[pe.File] = append(byFile[pe.File], pe)
	}
	actsAt := map[string]map[int]Act{}
	for _, la := range acts {
		if actsAt[la.File] == nil {
			actsAt[la.File] = map[int]Act{}
		}
		actsAt[la.File][la.Line] = la
	}
	var out []Result
	for _, file := range files {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		info := entente.ImportFile{Source: entente.SourceLedger, Path: file, SHA256: sums[file], Size: int64(len(data[file]))}
		r, err := importFile(w, info, data[file], actsAt[file], byFile[file])
		if err != nil {
			return out, fmt.Errorf("import ledger %s: %w", file, err)
		}
		out = append(out, r)
	}
	return out, nil
}

func importFile(w entente.TieWriter, info entente.ImportFile, data []byte, acts map[int]Act, errs []*entente.ParseError) (Result, error) {
	// A file whose shape is wrong as a whole (more than one YAML document, anchors and
	// aliases) is no ledger file: it is refused with the parser's account, nothing of
	// it imported, rather than its entries miscounted.
	for _, pe := range errs {
		if errors.Is(pe, ErrFileShape) {
			return Result{}, pe
		}
	}
	starts, err := entryLines(data)
	if err != nil {
		for _, pe := range errs {
			return Result{}, pe // the parser's own account of what is wrong with the file
		}
		return Result{}, entente.Errorf(entente.EINVALID, "%s: %v", info.Path, err)
	}
	// Attribute each error to the entry it lies in: the last entry starting at or before
	// its line.
	bad := map[int][]*entente.ParseError{}
	for _, pe := range errs {
		i := sort.SearchInts(starts, pe.Line+1) - 1
		if pe.Line == 0 || i < 0 {
			return Result{}, pe
		}
		bad[starts[i]] = append(bad[starts[i]], pe)
	}
	if err := w.StartFile(info); err != nil {
		return Result{}, err
	}
	lines := bytes.Split(data, []byte("\n"))
	for i, start := range starts {
		if pes, ok := bad[start]; ok {
			end := len(lines)
			if i+1 < len(starts) {
				end = starts[i+1] - 1
			}
			reasons := make([]string, len(pes))
			for k, pe := range pes {
				reasons[k] = pe.Error()
			}
			raw := bytes.Join(lines[start-1:max(end, start)], []byte("\n"))
			if err := w.Quarantine(entente.Quarantined{Source: entente.SourceLedger, File: info.Path, SHA256: info.SHA256,
				Line: start, Field: pes[0].Field, Reason: strings.Join(reasons, "; "), Raw: entente.CutRaw(raw)}); err != nil {
				return Result{}, err
			}
			continue
		}
		la, ok := acts[start]
		if !ok {
			return Result{}, fmt.Errorf("BUG: ledger entry at line %d neither parsed nor refused", start)
		}
		if err := w.Act(la.Act); err != nil {
			return Result{}, err
		}
	}
	var notes []string
	if len(bad) > 0 {
		notes = append(notes, fmt.Sprintf("%d entries quarantined: 'entente ledger check %s' lists every problem with its line", len(bad), info.Path))
	}
	if err := w.FinishFile(int64(len(starts)), notes); err != nil {
		return Result{}, err
	}
	return Result{File: info, Read: int64(len(starts)), Notes: notes}, nil
}

// entryLines returns the first line of each entry of a ledger file's top-level list.
func entryLines(data []byte) ([]int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.SequenceNode {
		return nil, errors.New("not a list of acts")
	}
	var out []int
	for _, n := range doc.Content[0].Content {
		out = append(out, n.Line)
	}
	return out, nil
}
