package http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	nethttp "net/http"
	"strconv"

	"github.com/entente/entente"
)

// apiFunc is a thin handler: it decodes and validates the request, calls the domain
// and returns a result for respond to write, or an error.
type apiFunc func(r *nethttp.Request) (any, error)

// rawJSON is a result already encoded (a cached response): written as is.
type rawJSON []byte

// api turns an apiFunc into a handler: the one place results and errors are written.
func (s *Server) api(h apiFunc) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		v, err := h(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		b, ok := v.(rawJSON)
		if !ok {
			if b, err = encode(v); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		writeBody(w, r, nethttp.StatusOK, "application/json", b)
	})
}

func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, entente.Errorf(entente.EINTERNAL, "BUG: encode response: %v", err)
	}
	return buf.Bytes(), nil
}

func writeBody(w nethttp.ResponseWriter, r *nethttp.Request, status int, ctype string, b []byte) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Content-Length", strconv.Itoa(len(b)))
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	if r.Method != nethttp.MethodHead {
		w.Write(b)
	}
}

// errorBody is the JSON of every error response.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// statusError is an error of the HTTP layer itself (a method, a size, a timeout): it
// carries its own status and code.
type statusError struct {
	status  int
	code    string
	message string
}

func (e *statusError) Error() string { return e.message }

// status maps an error to its HTTP status and wire code: the one place entente's error
// codes meet HTTP. EINVALID 400, ENOTFOUND 404, ECONFLICT 409, EINTERNAL 500; a request
// that ran out of time 503.
func status(err error) (int, string, string) {
	var se *statusError
	if errors.As(err, &se) {
		return se.status, se.code, se.message
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return nethttp.StatusServiceUnavailable, "timeout", "the request took too long and was stopped"
	}
	if errors.Is(err, context.Canceled) {
		return 499, "canceled", "the request was cancelled"
	}
	code := entente.ErrorCode(err)
	msg := err.Error()
	switch code {
	case entente.EINVALID:
		return nethttp.StatusBadRequest, code, msg
	case entente.ENOTFOUND:
		return nethttp.StatusNotFound, code, msg
	case entente.ECONFLICT:
		return nethttp.StatusConflict, code, msg
	}
	// Internal errors are logged whole; users get no internals.
	return nethttp.StatusInternalServerError, entente.EINTERNAL, "internal error"
}

func (s *Server) writeError(w nethttp.ResponseWriter, r *nethttp.Request, err error) {
	st, code, msg := status(err)
	if st >= 500 {
		s.logf("%s %s: %d: %v", r.Method, r.URL.RequestURI(), st, err)
	}
	if st == nethttp.StatusServiceUnavailable || st == nethttp.StatusTooManyRequests {
		w.Header().Set("Retry-After", s.admit.retryAfter())
	}
	var body errorBody
	body.Error.Code, body.Error.Message = code, cutEcho(msg)
	b, _ := json.Marshal(body)
	writeBody(w, r, st, "application/json", append(b, '\n'))
}
