package apply

import (
	"errors"
	"strings"
)

// wsRule is a set of whitespace problems to look for (core.whitespace).
type wsRule uint

const (
	wsBlankAtEOL wsRule = 1 << iota
	wsSpaceBeforeTab
	wsIndentWithNonTab
	wsTabInIndent
	wsBlankAtEOF
	wsCRAtEOL
	wsTrailingSpace = wsBlankAtEOL | wsBlankAtEOF
	wsDefaultRule   = wsTrailingSpace | wsSpaceBeforeTab
	defaultTabWidth = 8
	// wsTabWidthShift places the tab width above the rule flags.
	wsTabWidthShift = 16
)

// wsAction is what apply does about whitespace errors (apply.whitespace).
type wsAction int

const (
	wsWarn wsAction = iota
	wsNoWarn
	wsError
)

// Whitespace describes git's whitespace settings: the core.whitespace rule
// and the apply.whitespace / --whitespace action.
type Whitespace struct {
	// Rule is core.whitespace's value; empty means git's default
	// (blank-at-eol, blank-at-eof, space-before-tab).
	Rule string
	// Action is apply.whitespace or --whitespace: "warn", "nowarn", "error"
	// or "error-all". Empty means git's default: warn when applying,
	// nowarn with --check. "fix"/"strip" are not implemented.
	Action string
}

// parseRule reads a core.whitespace value as git's parse_whitespace_rule,
// failing as git does when two rules conflict. The tab width (tabwidth=N,
// default 8) is kept in the rule's bits above the flags.
func parseRule(value string) (wsRule, error) {
	rule := wsDefaultRule | defaultTabWidth<<wsTabWidthShift
	names := []struct {
		name string
		bits wsRule
	}{
		{"trailing-space", wsTrailingSpace}, {"space-before-tab", wsSpaceBeforeTab},
		{"indent-with-non-tab", wsIndentWithNonTab}, {"cr-at-eol", wsCRAtEOL},
		{"blank-at-eol", wsBlankAtEOL}, {"blank-at-eof", wsBlankAtEOF},
		{"tab-in-indent", wsTabInIndent},
	}
	items := strings.FieldsFunc(value, func(r rune) bool { return strings.ContainsRune(", \t\n", r) })
	for _, item := range items {
		negated := strings.HasPrefix(item, "-")
		item = strings.TrimPrefix(item, "-")
		if w, ok := strings.CutPrefix(item, "tabwidth="); ok {
			if n := leadingInt(w); n > 0 && n < 64 {
				rule = rule&^(63<<wsTabWidthShift) | wsRule(n)<<wsTabWidthShift
			}
			continue
		}
		for _, n := range names {
			if n.name == item {
				if negated {
					rule &^= n.bits
				} else {
					rule |= n.bits
				}
			}
		}
	}
	if rule&wsTabInIndent != 0 && rule&wsIndentWithNonTab != 0 {
		return 0, errors.New("cannot enforce both tab-in-indent and indent-with-non-tab")
	}
	return rule, nil
}

// leadingInt is C's atoi for the digits at the start of s.
func leadingInt(s string) int {
	n := 0
	for i := 0; i < len(s) && i < 9 && isDigit(s[i]); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func tabWidth(rule wsRule) int {
	return int(rule>>wsTabWidthShift) & 63
}

// wsCheck reports the whitespace problems of one added line (its text
// after the "+", newline included), as git's ws_check.
func wsCheck(line string, rule wsRule) wsRule {
	var result wsRule
	line = strings.TrimSuffix(line, "\n")
	if rule&wsCRAtEOL != 0 {
		line = strings.TrimSuffix(line, "\r")
	}
	trailing := len(line)
	if rule&wsBlankAtEOL != 0 {
		for i := len(line) - 1; i >= 0 && isGitSpace(line[i]); i-- {
			trailing = i
			result |= wsBlankAtEOL
		}
	}
	written := 0
	i := 0
	for ; i < trailing; i++ {
		if line[i] == ' ' {
			continue
		}
		if line[i] != '\t' {
			break
		}
		if rule&wsSpaceBeforeTab != 0 && written < i {
			result |= wsSpaceBeforeTab
		} else if rule&wsTabInIndent != 0 {
			result |= wsTabInIndent
		}
		written = i + 1
	}
	if rule&wsIndentWithNonTab != 0 && i-written >= tabWidth(rule) {
		result |= wsIndentWithNonTab
	}
	return result
}

// wsErrorString names the problems as git's whitespace_error_string.
func wsErrorString(ws wsRule) string {
	var parts []string
	if ws&wsTrailingSpace == wsTrailingSpace {
		parts = append(parts, "trailing whitespace")
	} else {
		if ws&wsBlankAtEOL != 0 {
			parts = append(parts, "trailing whitespace")
		}
		if ws&wsBlankAtEOF != 0 {
			parts = append(parts, "new blank line at EOF")
		}
	}
	if ws&wsSpaceBeforeTab != 0 {
		parts = append(parts, "space before tab in indent")
	}
	if ws&wsIndentWithNonTab != 0 {
		parts = append(parts, "indent with spaces")
	}
	if ws&wsTabInIndent != 0 {
		parts = append(parts, "tab in indent")
	}
	return strings.Join(parts, ", ")
}

// isBlankLine reports a line made only of whitespace (git's ws_blank_line).
func isBlankLine(line string) bool {
	for i := 0; i < len(line); i++ {
		if !isGitSpace(line[i]) {
			return false
		}
	}
	return true
}
