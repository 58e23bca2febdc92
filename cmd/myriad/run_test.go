package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestDemo(t *testing.T) {
	for _, args := range [][]string{{"demo"}, {"demo", "--offline", "--seed", "7"}} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("run(%v) = %d, stderr %s", args, code, errb.String())
		}
		// alice: 100 - 12.5 + 7 - 0.25; bob: 100 + 12.5 - 40; carol: 40 - 7 + 0.25.
		for _, want := range []string{"alice balance 94.25 ", "bob   balance 72.5 ", "carol balance 33.25 "} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("run(%v) output lacks %q:\n%s", args, want, out.String())
			}
		}
	}
}

func TestUsage(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"bogus"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "usage") {
		t.Errorf("run(bogus) = %d, %q; want 2 and usage", code, errb.String())
	}
}
