// Package sync fetches the official sources entente reads (Voeten's UN votes, GDELT 2.0
// and 1.0 event files, ATOP, COW IGO, the Kiel Ukraine Support Tracker) into a data
// directory laid out like ../shared/data: unvotes/, gdelt/v2/, gdelt/v1/, alliances/,
// igo/, aid/.
//
// The package is named after its directory and after the command it serves
// (`entente sync`), as DESIGN.md lays out one package per technology (http/, duckdb/).
// The name shadows the standard library's sync, so files here that need it import it as
// gosync, and callers that also need both import this one as, for example, srcsync.
//
// Three steps, each usable alone:
//   - the catalogue (Catalogue, LoadCatalogue): what each source holds, where upstream
//     keeps it, its license and citation, and where it goes under the data directory;
//   - planning (Syncer.Plan): the files of one source, with the sizes and checksums
//     upstream publishes (GDELT's master file list, GDELT 1.0's md5sums and filesizes,
//     the Dataverse file listing), limited to a date range for GDELT;
//   - fetching (Syncer.Sync): resumable HTTP downloads into a .part file that is renamed
//     into place only when complete and verified, or links from a local mirror.
//
// See docs/sync.md for the catalogue and what is assumed about upstream URLs.
package sync
