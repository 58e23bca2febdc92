package jsapi

// isMutation reports whether a GraphQL document defines a mutation. It
// reads only the top level of the document (outside braces, strings and
// comments), so a field or argument named "mutation" does not count; a
// document it cannot read is taken as a mutation, the safe side.
func isMutation(doc string) bool {
	depth := 0
	for i := 0; i < len(doc); i++ {
		switch c := doc[i]; {
		case c == '#':
			for i < len(doc) && doc[i] != '\n' {
				i++
			}
		case c == '"':
			end, ok := skipString(doc, i)
			if !ok {
				return true
			}
			i = end
		case c == '{' || c == '(':
			depth++
		case c == '}' || c == ')':
			depth--
			if depth < 0 {
				return true
			}
		case depth == 0 && isNameStart(c):
			j := i
			for j < len(doc) && isNameChar(doc[j]) {
				j++
			}
			if doc[i:j] == "mutation" {
				return true
			}
			i = j - 1
		}
	}
	return depth != 0
}

// skipString returns the index of the closing quote of the string (or
// block string) starting at doc[i].
func skipString(doc string, i int) (int, bool) {
	if len(doc) >= i+3 && doc[i:i+3] == `"""` {
		for j := i + 3; j+3 <= len(doc); j++ {
			if doc[j] == '\\' {
				j++
				continue
			}
			if doc[j:j+3] == `"""` {
				return j + 2, true
			}
		}
		return 0, false
	}
	for j := i + 1; j < len(doc); j++ {
		switch doc[j] {
		case '\\':
			j++
		case '"':
			return j, true
		case '\n':
			return 0, false
		}
	}
	return 0, false
}

func isNameStart(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isNameChar(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' }
