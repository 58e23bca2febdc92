// Package appstest builds the sample applications to Wasm for tests: the
// same command as `make apps`, run once per application per test binary.
//
//	contract, service := appstest.Build(t, "counter")
//
// It also reads a module's imports (Imports), so tests can check what a
// built module asks of its host.
package appstest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Names lists the sample applications, the folders under apps/.
var Names = []string{"counter", "fungible", "social", "auction", "tictactoe"}

type built struct {
	contract, service []byte
	err               error
}

var (
	mu    sync.Mutex
	cache = map[string]*built{}
	once  = map[string]*sync.Once{}
)

// Build returns the contract and service modules of the sample application
// name, built with GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared
// -trimpath -ldflags=-s -w. The first call per application builds it; later
// calls (from any test of the binary) return the same bytes. It skips the
// test if the go command is missing.
func Build(t testing.TB, name string) (contract, service []byte) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("needs the go command")
	}
	mu.Lock()
	o, ok := once[name]
	if !ok {
		o = new(sync.Once)
		once[name] = o
	}
	mu.Unlock()
	o.Do(func() {
		b := &built{}
		b.contract, b.service, b.err = build(name)
		mu.Lock()
		cache[name] = b
		mu.Unlock()
	})
	mu.Lock()
	b := cache[name]
	mu.Unlock()
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.contract, b.service
}

// Command returns the go command that builds module (contract or service)
// of application name into out, run in the module's root directory.
func Command(root, name, module, out string) *exec.Cmd {
	cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-ldflags=-s -w",
		"-o", out, "./apps/"+name+"/"+module)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	return cmd
}

func build(name string) (contract, service []byte, err error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, nil, err
	}
	dir, err := os.MkdirTemp("", "appstest-"+name)
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(dir)
	var out [2][]byte
	for i, module := range []string{"contract", "service"} {
		file := filepath.Join(dir, module+".wasm")
		cmd := Command(root, name, module, file)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return nil, nil, fmt.Errorf("appstest: build %s %s: %v\n%s", name, module, err, stderr.Bytes())
		}
		if out[i], err = os.ReadFile(file); err != nil {
			return nil, nil, err
		}
	}
	return out[0], out[1], nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/myriadchain/myriad").Output()
	if err != nil {
		return "", fmt.Errorf("appstest: find the module root: %v", err)
	}
	return strings.TrimSpace(string(out)), nil
}
