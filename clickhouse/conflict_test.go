package clickhouse

import (
	"testing"

	"github.com/entente/entente/storetest"
)

func TestConflictSingle(t *testing.T) {
	needServer(t)
	storetest.RunConflict(t, opener(false))
}

func TestConflictCluster(t *testing.T) {
	needServer(t)
	storetest.RunConflict(t, opener(true))
}
