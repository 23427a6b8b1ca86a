package duckdb

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/entente/entente"
)

// RollCallsBetween returns the stored roll calls dated in [from, to) with their
// resolution, title and URL where the source gives them, by date. It serves the
// dashboard's evidence (http.RollCallReader).
func (s *Store) RollCallsBetween(ctx context.Context, from, to time.Time) ([]entente.RollCall, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT source, rc_id, session, date, resolution, title, important, url
FROM roll_calls WHERE date >= ? AND date < ? ORDER BY date, source, rc_id`, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("roll calls: %w", err)
	}
	defer rows.Close()
	var out []entente.RollCall
	for rows.Next() {
		var rc entente.RollCall
		var session sql.NullInt64
		var res, title, url sql.NullString
		var important sql.NullBool
		if err := rows.Scan(&rc.Source, &rc.ID, &session, &rc.Date, &res, &title, &important, &url); err != nil {
			return nil, fmt.Errorf("roll calls: %w", err)
		}
		rc.Session, rc.Resolution, rc.Title, rc.Important, rc.URL = int(session.Int64), res.String, title.String, important.Bool, url.String
		rc.Date = rc.Date.UTC()
		out = append(out, rc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("roll calls: %w", err)
	}
	return out, nil
}
