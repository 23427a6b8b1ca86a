package http

import (
	"embed"
	"io/fs"
	nethttp "net/http"
	"sync"
)

// The dashboard: plain HTML, CSS and JavaScript with vendored ECharts and world-atlas
// (ui/vendor/README.md gives their versions and licences), embedded in the binary, so
// it needs no network at run time and no build step.
//
//go:embed ui/index.html ui/app.js ui/style.css ui/vendor/echarts.min.js ui/vendor/countries-110m.json
var uiFS embed.FS

func (s *Server) assets() nethttp.Handler {
	sub, err := fs.Sub(uiFS, "ui")
	if err != nil {
		panic("BUG: http: embedded ui: " + err.Error())
	}
	files := s.noListing(nethttp.StripPrefix("/ui/", nethttp.FileServerFS(sub)))
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

func (s *Server) handleIndexPage(w nethttp.ResponseWriter, r *nethttp.Request) {
	b, err := uiFS.ReadFile("ui/index.html")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	writeBody(w, r, nethttp.StatusOK, "text/html; charset=utf-8", b)
}

// world is the GeoJSON map, built on first use.
type world struct {
	once sync.Once
	json []byte
	err  error
}

// handleWorld serves the world map as GeoJSON keyed by state ID, built once from the
// embedded TopoJSON.
func (s *Server) handleWorld(w nethttp.ResponseWriter, r *nethttp.Request) {
	s.world.once.Do(func() {
		topo, err := uiFS.ReadFile("ui/vendor/countries-110m.json")
		if err != nil {
			s.world.err = err
			return
		}
		s.world.json, s.world.err = worldGeoJSON(topo, "countries", s.Countries)
	})
	if s.world.err != nil {
		s.writeError(w, r, s.world.err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=3600")
	writeBody(w, r, nethttp.StatusOK, "application/geo+json", s.world.json)
}
