package http

import (
	"net"
	nethttp "net/http"
	"strings"
	"unicode/utf8"
)

// Browser-facing hardening: the headers every response carries, the Host check that
// keeps a server on a loopback address out of reach of DNS rebinding, and the cut of
// echoed input in error messages.

// contentSecurityPolicy allows the dashboard what it uses and nothing else: its own
// scripts and styles (styles also inline: ECharts and the evidence swatches set them),
// images from itself and data: URLs, fetches to itself; no framing, no plugins, no
// form posts, no <base>.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'none'; frame-ancestors 'none'"

// securityHeaders sets the headers every response carries, before any handler runs.
func securityHeaders(h nethttp.Header) {
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

// hostAllowed reports whether a request's Host header names this server: one of hosts
// (host names or IP addresses, compared without the port and case-insensitively).
// An empty list allows every host.
func hostAllowed(hosts []string, hostHeader string) bool {
	if len(hosts) == 0 {
		return true
	}
	h := hostHeader
	if host, _, err := net.SplitHostPort(hostHeader); err == nil {
		h = host
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	for _, a := range hosts {
		if strings.EqualFold(strings.TrimSuffix(strings.TrimPrefix(a, "["), "]"), h) {
			return true
		}
	}
	return false
}

// DefaultHosts returns the Host names a server listening on addr answers to: for a
// loopback address, "localhost" and the loopback addresses (a page on another site
// that resolves its own name to 127.0.0.1 — DNS rebinding — is refused); for a
// specific other address, that address; for a wildcard address (":8080", "0.0.0.0"),
// nil: every host is allowed, since the server's names are not known (a reverse
// proxy sets its own with Server.AllowedHosts).
func DefaultHosts(addr string) []string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return []string{"localhost", "127.0.0.1", "::1"}
	}
	ip := net.ParseIP(host)
	switch {
	case ip == nil:
		return []string{host}
	case ip.IsUnspecified():
		return nil
	case ip.IsLoopback():
		return []string{"localhost", "127.0.0.1", "::1", ip.String()}
	}
	return []string{ip.String()}
}

// maxEchoRunes bounds how much of a request's own input an error message repeats.
const maxEchoRunes = 400

// cutEcho shortens an error message that may repeat request input to maxEchoRunes
// runes, marking the cut; messages are valid UTF-8 after it.
func cutEcho(msg string) string {
	msg = strings.ToValidUTF8(msg, "\uFFFD")
	if utf8.RuneCountInString(msg) <= maxEchoRunes {
		return msg
	}
	n := 0
	for i := range msg {
		if n == maxEchoRunes {
			return msg[:i] + "… (cut)"
		}
		n++
	}
	return msg
}

// noListing answers a request for a folder of the embedded assets with 404 instead of
// a listing of its files.
func (s *Server) noListing(next nethttp.Handler) nethttp.Handler {
	return nethttp.HandlerFunc(func(w nethttp.ResponseWriter, r *nethttp.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			s.writeError(w, r, &statusError{nethttp.StatusNotFound, "not_found", "not found: " + r.URL.Path})
			return
		}
		next.ServeHTTP(w, r)
	})
}
