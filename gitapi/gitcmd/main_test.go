package gitcmd

import (
	"testing"

	"github.com/kiln-dev/kiln/gitapi/internal/gittest"
)

// TestMain removes the shared fixture after the tests.
func TestMain(m *testing.M) { gittest.Main(m) }
