package parity

import (
	"fmt"
	"strings"
)

// SplitWords splits s into words with POSIX shell quoting rules: blanks
// separate words, single quotes keep everything literally, double quotes
// keep everything but a backslash before one of $ ` " \ or a newline, and
// an unquoted backslash quotes the next character. Nothing is expanded: a
// $ or a glob character is an ordinary character.
func SplitWords(s string) ([]string, error) {
	var words []string
	var word strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("unterminated single quote in %q", s)
			}
			word.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			n, err := readDoubleQuoted(s[i+1:], &word)
			if err != nil {
				return nil, fmt.Errorf("%v in %q", err, s)
			}
			i += n // the closing quote; the loop steps past it
			inWord = true
		case c == '\\':
			if i+1 < len(s) && s[i+1] != '\n' {
				word.WriteByte(s[i+1])
			}
			i++
			inWord = true
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words, nil
}

// readDoubleQuoted copies the body of a double-quoted string (s starts
// after the opening quote) to word and returns how many bytes of s it used,
// closing quote included.
func readDoubleQuoted(s string, word *strings.Builder) (int, error) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return i + 1, nil
		case '\\':
			if i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
				if s[i+1] != '\n' {
					word.WriteByte(s[i+1])
				}
				i++
				continue
			}
			word.WriteByte(c)
		default:
			word.WriteByte(c)
		}
	}
	return 0, fmt.Errorf("unterminated double quote")
}

// QuoteWords quotes words for /bin/sh so that the shell splits the result
// back into exactly these words.
func QuoteWords(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = quoteWord(w)
	}
	return strings.Join(quoted, " ")
}

func quoteWord(w string) string {
	if w != "" && strings.Trim(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}
