// Package read turns news and opinion text into dated acts between states: it splits
// sentences, finds state, person, group and organisation mentions (the country and bloc
// registries, a hand-made table of capitals and demonyms, and dictionaries generated
// from the petrarch2 Phoenix actor files), resolves dates against the article's date,
// and codes acts with patterns compiled once from patterns.txt into the ledger
// vocabulary (entente.ActKinds) and PLOVER event types, with negation, hedging and
// intent, a confidence and the pattern that fired. docs/read.md describes the method
// and its measured quality. A Coder is safe for concurrent use.
package read
