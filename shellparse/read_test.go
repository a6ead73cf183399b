package shellparse

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadScriptErrors checks that a script that cannot be read comes
// back as a *ReadError the caller can inspect, with a message that names
// the path once and says what is wrong.
func TestReadScriptErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := ReadScript(dir)
	var re *ReadError
	if !errors.As(err, &re) || re.Path != dir || !errors.Is(err, syscall.EISDIR) {
		t.Fatalf("directory: got %#v", err)
	}
	if got, want := err.Error(), dir+": is a directory, not a script"; got != want {
		t.Errorf("directory: %q, want %q", got, want)
	}
	missing := filepath.Join(dir, "nope.sh")
	_, err = ReadScript(missing)
	if !errors.As(err, &re) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing: got %#v", err)
	}
	if got, want := err.Error(), missing+": cannot read: no such file or directory"; got != want {
		t.Errorf("missing: %q, want %q", got, want)
	}
	file := filepath.Join(dir, "ok.sh")
	if err := os.WriteFile(file, []byte("echo hi\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if src, err := ReadScript(file); err != nil || string(src) != "echo hi\n" {
		t.Errorf("readable: %q, %v", src, err)
	}
}

func TestNotScript(t *testing.T) {
	for _, tt := range []struct {
		src  string
		want bool
	}{
		{"\x7fELF\x00\x00", true},
		{"#!/usr/bin/env python3\nprint(1)\n", true},
		{"#!/usr/bin/perl\n", true},
		{"#!/bin/sh\necho hi\n", false},
		{"#!/usr/bin/env bash\necho hi\n", false},
		{"die () {\n\techo \"$*\"\n}\n", false}, // a library without #!
		{"just some words\n", false},            // Classify decides
	} {
		if got := NotScript([]byte(tt.src)); got != tt.want {
			t.Errorf("NotScript(%q) = %v, want %v", tt.src, got, tt.want)
		}
	}
}
