package ledger

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/entente/entente"
)

// Write writes acts in the ledger format, one list in one document, so that Parse reads
// them back unchanged (apart from File and Line). Dates keep their precision; end and
// published dates are written as days.
func Write(w io.Writer, acts []Act) error {
	root := &yaml.Node{Kind: yaml.SequenceNode}
	for _, a := range acts {
		root.Content = append(root.Content, actNode(a))
	}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return fmt.Errorf("write ledger: %w", err)
	}
	return enc.Close()
}

func actNode(a Act) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
	add("id", str(a.ID))
	add("date", str(formatDate(a.Date, a.Precision)))
	if !a.End.IsZero() {
		add("end", str(a.End.Format(time.DateOnly)))
	}
	add("actor", str(a.Actor))
	add("counterpart", str(a.Counterpart))
	if a.Mutual || a.OneSided {
		add("mutual", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(a.Mutual)})
	}
	add("kind", str(a.Kind))
	stance := str("+")
	if a.Stance == entente.Hostile {
		stance = str("-")
	}
	stance.Style = yaml.DoubleQuotedStyle
	add("stance", stance)
	if a.Magnitude != 0 || a.Unit != "" {
		add("magnitude", &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!float", Value: strconv.FormatFloat(a.Magnitude, 'g', -1, 64)})
	}
	if a.Unit != "" {
		add("unit", str(a.Unit))
	}
	add("summary", str(a.Summary))
	sources := &yaml.Node{Kind: yaml.SequenceNode}
	for _, c := range a.Sources {
		sources.Content = append(sources.Content, sourceNode(c))
	}
	add("sources", sources)
	return m
}

func sourceNode(c entente.Citation) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	add := func(k, v string) {
		if v != "" {
			m.Content = append(m.Content, str(k), str(v))
		}
	}
	add("url", c.URL)
	add("title", c.Title)
	add("publisher", c.Publisher)
	if !c.Published.IsZero() {
		add("published", c.Published.Format(time.DateOnly))
	}
	m.Content = append(m.Content, str("checked"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(c.Checked)})
	add("quote", c.Quote)
	return m
}

func str(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

func formatDate(t time.Time, p entente.Precision) string {
	switch p {
	case entente.PrecisionYear:
		return t.Format("2006")
	case entente.PrecisionMonth:
		return t.Format("2006-01")
	}
	return t.Format(time.DateOnly)
}
