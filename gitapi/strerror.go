package gitapi

import (
	"errors"
	"os"
	"strings"
)

// Strerror is the strerror text of a file error, as git prints it.
func Strerror(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	s := err.Error()
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
