package shellparse

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// literal returns the value of a word made only of literal text and
// quotes, after quote removal; ok is false if anything in it expands.
func literal(w *syntax.Word) (string, bool) { return Literal(w) }

// Literal returns the value of a word made only of literal text and
// quotes, after quote removal; ok is false if anything in it expands.
// kiln scan and kiln translate read words through it alike.
func Literal(w *syntax.Word) (string, bool) {
	if w == nil {
		return "", false
	}
	return literalPrefix(w)
}

// litPrefix returns the literal text a word starts with, up to its first
// expansion ("--author=" for --author="$x").
func litPrefix(w *syntax.Word) string {
	s, _ := literalPrefix(w)
	return s
}

// literalPrefix is the word's text after quote removal up to its first
// expansion, and whether the whole word is literal.
func literalPrefix(w *syntax.Word) (string, bool) {
	var sb strings.Builder
	for _, part := range w.Parts {
		switch x := part.(type) {
		case *syntax.Lit:
			sb.WriteString(UnescapeBare(x.Value))
		case *syntax.SglQuoted:
			if x.Dollar {
				return sb.String(), false
			}
			sb.WriteString(x.Value)
		case *syntax.DblQuoted:
			for _, p := range x.Parts {
				lit, ok := p.(*syntax.Lit)
				if !ok {
					return sb.String(), false
				}
				sb.WriteString(UnescapeDouble(lit.Value))
			}
		default:
			return sb.String(), false
		}
	}
	return sb.String(), true
}

// UnescapeBare removes the backslashes of unquoted text: a backslash
// quotes the next character, and a backslash-newline disappears.
func UnescapeBare(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// UnescapeDouble removes the backslashes that are special inside double
// quotes: before $ ` " \ and newline.
func UnescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
			i++
			if s[i] == '\n' {
				continue
			}
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// templateText renders a word as text with expansions left in shell
// notation ($name, $(...)), for option specs that interpolate a variable.
func templateText(w *syntax.Word) string {
	var sb strings.Builder
	var parts func([]syntax.WordPart, bool)
	parts = func(ps []syntax.WordPart, inDouble bool) {
		for _, part := range ps {
			switch x := part.(type) {
			case *syntax.Lit:
				if inDouble {
					sb.WriteString(UnescapeDouble(x.Value))
				} else {
					sb.WriteString(UnescapeBare(x.Value))
				}
			case *syntax.SglQuoted:
				sb.WriteString(x.Value)
			case *syntax.DblQuoted:
				parts(x.Parts, true)
			default:
				sb.WriteString(printNode(part))
			}
		}
	}
	parts(w.Parts, false)
	return sb.String()
}

// printWord renders a word as shell source.
func printWord(w *syntax.Word) string { return printNode(w) }

func printNode(n syntax.Node) string {
	var sb strings.Builder
	if err := syntax.NewPrinter().Print(&sb, n); err != nil {
		return "?"
	}
	return sb.String()
}
