package http

import (
	_ "embed"
	nethttp "net/http"
)

// openAPI is the OpenAPI 3 description of the API, written by hand; a test checks that
// it lists every route of the route table.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) handleOpenAPI(w nethttp.ResponseWriter, r *nethttp.Request) {
	writeBody(w, r, nethttp.StatusOK, "application/json", openAPI)
}
