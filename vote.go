package entente

import "time"

// VoteValue is a roll-call vote as Voeten codes it.
type VoteValue uint8

// Vote values. Only Yes, Abstain and No enter similarity; Absent and NonMember are kept
// as facts when a source records them.
const (
	Yes       VoteValue = 1
	Abstain   VoteValue = 2
	No        VoteValue = 3
	Absent    VoteValue = 8
	NonMember VoteValue = 9
)

// Cast reports whether v is a vote cast (yes, abstain or no).
func (v VoteValue) Cast() bool { return v >= Yes && v <= No }

// String names the vote: yes, abstain, no, absent, non-member.
func (v VoteValue) String() string {
	switch v {
	case Yes:
		return "yes"
	case Abstain:
		return "abstain"
	case No:
		return "no"
	case Absent:
		return "absent"
	case NonMember:
		return "non-member"
	}
	return "invalid"
}

// Vote sources: the datasets UN votes come from (docs/sources.md).
const (
	SourceVoeten  = "voeten"  // Voeten's UNGA voting data, long layout (resid, ccode, date, year, vote)
	SourceUNVotes = "unvotes" // the R package unvotes (rcid, country, country_code, vote + roll calls, issues)
	SourceUNDL    = "undl"    // UN Digital Library voting records, wide layout (one column per ISO3)
)

// VoteSourcePrecedence orders the vote sources: a roll call of a later source is used by
// similarity only on dates outside the coverage (first to last roll-call date) of every
// earlier source, so overlapping datasets never double-count. docs/method.md explains.
var VoteSourcePrecedence = []string{SourceVoeten, SourceUNDL, SourceUNVotes}

// Issue areas of UN roll calls, as coded in the unvotes package.
var Issues = map[string]string{
	"me": "Palestinian conflict",
	"nu": "Nuclear weapons and nuclear material",
	"di": "Arms control and disarmament",
	"hr": "Human rights",
	"co": "Colonialism",
	"ec": "Economic development",
}

// RollCall is one recorded UN General Assembly vote.
type RollCall struct {
	Source     string    // one of the Source* constants
	ID         string    // the source's own id: Voeten resid, unvotes rcid, UNDL record number
	Session    int       // GA session; 0 if unknown
	Date       time.Time // day of the vote
	Resolution string    // e.g. A/RES/77/1 or R/1/66; "" if unknown
	Title      string    // short title or description; "" if unknown
	Important  bool      // flagged as an important vote by the source
	Issues     []string  // issue codes (keys of Issues)
	URL        string    // where the record can be read, if known
}

// Vote is one state's vote on one roll call: the unit fact of the UN signal.
type Vote struct {
	Source     string
	RollCallID string
	CCode      int    // COW number of the voting state at the vote's date
	ISO3       string // the registry ID of the voting state at that date
	Value      VoteValue
	Line       int // line of the source file the vote came from (provenance)
}

// RollCallIssue attaches an issue code to a roll call (the unvotes issues file).
type RollCallIssue struct {
	Source     string
	RollCallID string
	Issue      string
}
