package unvotes

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func benchRead(b *testing.B, name string) {
	data, err := os.ReadFile(filepath.Join(sharedData(b), name))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		if _, err := Read(bytes.NewReader(data), name, func(r Row) error {
			if _, bad := r.(*BadRow); bad {
				b.Fatalf("bad row: %v", r.(*BadRow).Err)
			}
			n++
			return nil
		}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n), "rows/op")
	}
}

// BenchmarkReadVoeten parses the whole Voeten long file (855,890 rows, 25 MB).
func BenchmarkReadVoeten(b *testing.B) { benchRead(b, "voeten_votes_1946_2024.csv") }

// BenchmarkReadUNVotes parses unvotes' un_votes.csv (870,109 rows, 24 MB).
func BenchmarkReadUNVotes(b *testing.B) { benchRead(b, "un_votes.csv") }

// BenchmarkReadUNDL parses the UN Digital Library wide file (236 rows × 207 columns).
func BenchmarkReadUNDL(b *testing.B) { benchRead(b, "un_votes_2025_processed.csv") }

// BenchmarkReadRollCalls parses un_roll_calls.csv (quoted text with escapes).
func BenchmarkReadRollCalls(b *testing.B) { benchRead(b, "un_roll_calls.csv") }
