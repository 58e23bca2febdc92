package msgsig

import (
	"fmt"
	"strconv"
	"strings"
)

// CheckOrigin returns nil if origin is a web origin as browsers serialise
// it (the HTML standard's ASCII serialisation): "http://" or "https://", a
// host of lowercase letters, digits, '-', '_' and '.' (an internationalised
// name in its punycode form) or an IPv6 address in brackets, and ":PORT"
// only for a port other than the scheme's default. Anything else —
// a path, a trailing slash, user info, upper case, "null" — is ErrOrigin:
// the wallet signs for the origin the browser reported, and a server
// compares it byte for byte.
func CheckOrigin(origin string) error {
	if err := checkOrigin(origin); err != "" {
		return fmt.Errorf("%w %.80q: %s", ErrOrigin, origin, err)
	}
	return nil
}

// checkOrigin says what is wrong with origin ("" if nothing).
func checkOrigin(origin string) string {
	if len(origin) > MaxOriginSize {
		return fmt.Sprintf("%d bytes, at most %d", len(origin), MaxOriginSize)
	}
	scheme, rest, ok := strings.Cut(origin, "://")
	defaultPort := map[string]string{"http": "80", "https": "443"}[scheme]
	if !ok || defaultPort == "" {
		return `want "https://HOST" or "http://HOST", with ":PORT" if not the default`
	}
	host, port, hasPort := splitPort(rest)
	if msg := checkHost(host); msg != "" {
		return msg
	}
	if !hasPort {
		return ""
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || port[0] == '0' || port[0] == '+' {
		return fmt.Sprintf("port %.8q is not a number from 1 to 65535", port)
	}
	if port == defaultPort {
		return fmt.Sprintf("port %s is %s's default: browsers leave it out", port, scheme)
	}
	return ""
}

// splitPort splits HOST[:PORT]; a bracketed IPv6 host keeps its colons.
func splitPort(s string) (host, port string, ok bool) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || strings.LastIndexByte(s, ']') > i {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}

func checkHost(host string) string {
	if host == "" {
		return "no host"
	}
	if host[0] == '[' {
		if len(host) < 3 || host[len(host)-1] != ']' || strings.Trim(host[1:len(host)-1], "0123456789abcdef:.") != "" {
			return "an IPv6 host is [lowercase hex digits, ':' and '.']"
		}
		return ""
	}
	if strings.ContainsAny(host, "/?#") {
		return "nothing may follow the host and port: no path, query or trailing slash"
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return fmt.Sprintf("%q in the host: only lowercase letters, digits, '-', '_' and '.'", c)
		}
	}
	return ""
}
