package deps

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
)

// pkg is the part of `go list -json` output the tests read.
type pkg struct {
	ImportPath string
	Dir        string
	Name       string
	Doc        string
	Standard   bool
	DepOnly    bool // imported by a matched package, not matched itself
	Module     *struct{ Path string }
	GoFiles    []string
	Imports    []string
	Error      *struct{ Err string }
}

// platform is a GOOS/GOARCH pair the module is built for.
type platform struct{ goos, goarch string }

func (p platform) String() string { return p.goos + "/" + p.goarch }

var (
	native    = platform{runtime.GOOS, runtime.GOARCH}
	jsWasm    = platform{"js", "wasm"}
	wasip1    = platform{"wasip1", "wasm"}
	platforms = []platform{native, jsWasm, wasip1}
)

// module is the module's path and root directory, found once.
var module = sync.OnceValues(func() (m struct{ path, dir string }, err error) {
	out, err := goCmd(native, "list", "-m", "-f", "{{.Path}}\n{{.Dir}}")
	if err != nil {
		return m, err
	}
	path, dir, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	m.path, m.dir = path, dir
	return m, trackSources(dir)
})

func moduleOf(t *testing.T) (path, dir string) {
	t.Helper()
	if runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("needs the go command")
	}
	m, err := module()
	if err != nil {
		t.Fatal(err)
	}
	return m.path, m.dir
}

// goCmd runs the go command in the module for a platform.
func goCmd(p platform, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), "GOOS="+p.goos, "GOARCH="+p.goarch)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, errors.New("go " + strings.Join(args, " ") + " (" + p.String() + "): " + err.Error() + "\n" + stderr.String())
	}
	return out, nil
}

type listKey struct {
	p        platform
	patterns string
}

var (
	listMu    sync.Mutex
	listCache = map[listKey][]pkg{}
)

// list returns `go list -e -deps -json patterns` for a platform: the packages
// matched and everything they import, dependencies first.
func list(t *testing.T, p platform, patterns ...string) []pkg {
	t.Helper()
	_, dir := moduleOf(t)
	key := listKey{p, strings.Join(patterns, " ")}
	listMu.Lock()
	defer listMu.Unlock()
	if pkgs, ok := listCache[key]; ok {
		return pkgs
	}
	args := append([]string{"-C", dir, "list", "-e", "-deps", "-json=ImportPath,Dir,Name,Doc,Standard,DepOnly,Module,GoFiles,Imports,Error"}, patterns...)
	out, err := goCmd(p, args...)
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []pkg
	for dec := json.NewDecoder(bytes.NewReader(out)); ; {
		var q pkg
		if err := dec.Decode(&q); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("decode go list output (%v): %v", p, err)
		}
		pkgs = append(pkgs, q)
	}
	listCache[key] = pkgs
	return pkgs
}

// own returns the module's own packages among pkgs.
func own(t *testing.T, pkgs []pkg) []pkg {
	path, _ := moduleOf(t)
	var mine []pkg
	for _, q := range pkgs {
		if q.Module != nil && q.Module.Path == path {
			mine = append(mine, q)
		}
	}
	return mine
}

// ownEverywhere returns the module's packages as built for each platform.
// A package that builds on no platform (all files excluded) is absent.
func ownEverywhere(t *testing.T) [][]pkg {
	t.Helper()
	var all [][]pkg
	for _, p := range platforms {
		all = append(all, own(t, list(t, p, "./...")))
	}
	return all
}

// rel names a module package by its folder: "core/ids".
func rel(modPath, importPath string) string {
	if importPath == modPath {
		return "."
	}
	return strings.TrimPrefix(importPath, modPath+"/")
}

// matches reports whether path is r.path or below it.
func (r rule) matches(path string) bool {
	return path == r.path || strings.HasPrefix(path, r.path+"/")
}

func firstMatch(rules []rule, path string) (rule, bool) {
	for _, r := range rules {
		if r.matches(path) {
			return r, true
		}
	}
	return rule{}, false
}

// trackSources opens every folder of the module that go builds from, so that
// go test's result cache is invalidated when any source file changes. The
// cache only tracks files the test process itself opens, not those read by
// the go command the test runs.
func trackSources(root string) error {
	for _, v := range []string{"GOFLAGS", "GOWORK", "GOEXPERIMENT"} {
		os.Getenv(v) // recorded in the cache key
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() || path == root {
			return err
		}
		if name := d.Name(); name == "testdata" || name == "node_modules" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
			return filepath.SkipDir
		}
		return nil
	})
}

// TestCoreImports checks that every core package imports only the allowed
// part of the standard library and other core packages.
func TestCoreImports(t *testing.T) {
	modPath, _ := moduleOf(t)
	seen := map[string]bool{}
	for _, p := range []platform{native, jsWasm} {
		pkgs := list(t, p, "./core/...")
		std := map[string]bool{}
		for _, q := range pkgs {
			std[q.ImportPath] = q.Standard
		}
		for _, q := range own(t, pkgs) {
			from := rel(modPath, q.ImportPath)
			if !strings.HasPrefix(from+"/", "core/") {
				continue
			}
			for _, imp := range q.Imports {
				if why := coreViolation(modPath, imp, std[imp]); why != "" && !seen[from+" "+imp] {
					seen[from+" "+imp] = true
					t.Errorf("%s imports %q (%v): %s", from, imp, p, why)
				}
			}
		}
	}
}

// coreViolation says why a core package may not import imp, or "".
func coreViolation(modPath, imp string, standard bool) string {
	switch {
	case standard || imp == "C" || imp == "unsafe":
		if r, ok := firstMatch(coreBanned, imp); ok {
			return "banned in the core: " + r.why
		}
		return ""
	case strings.HasPrefix(imp, modPath+"/core/"):
		return ""
	case strings.HasPrefix(imp, modPath+"/") || imp == modPath:
		return "the core imports nothing of the module outside core/"
	}
	if _, ok := firstMatch(coreAllowedModules, imp); ok {
		return ""
	}
	return "not in the standard library and not in coreAllowedModules"
}

// TestLayers checks that imports between the module's top-level folders
// point one way (the layers table).
func TestLayers(t *testing.T) {
	modPath, _ := moduleOf(t)
	seen := map[string]bool{}
	for i, pkgs := range ownEverywhere(t) {
		p := platforms[i]
		for _, q := range pkgs {
			from := rel(modPath, q.ImportPath)
			fromDir, fromTier, ok := layerOf(from)
			if !ok {
				if !seen[fromDir] {
					t.Errorf("%s: top-level folder %q is not in the layers table (rules_test.go)", from, fromDir)
					seen[fromDir] = true
				}
				continue
			}
			for _, imp := range q.Imports {
				if imp != modPath && !strings.HasPrefix(imp, modPath+"/") {
					continue
				}
				to := rel(modPath, imp)
				toDir, toTier, ok := layerOf(to)
				if ok && toDir != fromDir && toTier >= fromTier && !seen[from+" "+to] {
					seen[from+" "+to] = true
					t.Errorf("%s (%s, tier %d) imports %s (%s, tier %d) on %v: imports point down only",
						from, fromDir, fromTier, to, toDir, toTier, p)
				}
			}
		}
	}
}

// layerOf returns the top-level folder of a package path relative to the
// module root and its tier.
func layerOf(relPath string) (dir string, tier int, ok bool) {
	dir, _, _ = strings.Cut(relPath, "/")
	tier, ok = layers[dir]
	return dir, tier, ok
}

// TestWasmBuildExcludes checks that the browser build links none of the
// wasmBanned packages.
func TestWasmBuildExcludes(t *testing.T) {
	_, dir := moduleOf(t)
	var roots []string
	for _, pattern := range wasmRoots {
		if st, err := os.Stat(filepath.Join(dir, strings.TrimSuffix(pattern, "/..."))); err == nil && st.IsDir() {
			roots = append(roots, pattern)
		}
	}
	if len(roots) == 0 {
		t.Fatalf("none of %v exists", wasmRoots)
	}
	pkgs := list(t, jsWasm, roots...)
	byPath := map[string]pkg{}
	for _, q := range pkgs {
		byPath[q.ImportPath] = q
	}
	for _, q := range pkgs {
		if r, ok := firstMatch(wasmBanned, q.ImportPath); ok {
			t.Errorf("the js/wasm build of %v links %s: %s\n\t%s",
				roots, q.ImportPath, r.why, strings.Join(importChain(byPath, q.ImportPath), "\n\timports "))
		}
	}
}

// TestWalletWasmImporters checks that in the browser wallet's build only
// the packages walletWasmImporters lists import its packages, and that
// each of them still does.
func TestWalletWasmImporters(t *testing.T) {
	pkgs := list(t, jsWasm, walletWasm)
	byPath := map[string]pkg{}
	for _, q := range pkgs {
		byPath[q.ImportPath] = q
	}
	for _, r := range walletWasmImporters {
		for _, q := range pkgs {
			if slices.Contains(q.Imports, r.path) && !slices.Contains(r.importers, q.ImportPath) {
				t.Errorf("in the browser wallet's build (%s, js/wasm), %s imports %s: %s\n\t%s", walletWasm, q.ImportPath, r.path,
					r.why, strings.Join(importChain(byPath, q.ImportPath), "\n\timports "))
			}
		}
		for _, imp := range r.importers {
			if q, ok := byPath[imp]; !ok || !slices.Contains(q.Imports, r.path) {
				t.Errorf("%s no longer imports %s in the browser wallet's build: remove it from walletWasmImporters", imp, r.path)
			}
		}
	}
}

// importChain returns the shortest chain of imports from one of the
// packages go list matched to target.
func importChain(byPath map[string]pkg, target string) []string {
	prev := map[string]string{}
	var queue []string
	for _, q := range byPath {
		if !q.DepOnly {
			prev[q.ImportPath] = ""
			queue = append(queue, q.ImportPath)
		}
	}
	sort.Strings(queue)
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == target {
			var chain []string
			for p := cur; p != ""; p = prev[p] {
				chain = append(chain, p)
			}
			slices.Reverse(chain)
			return chain
		}
		for _, imp := range byPath[cur].Imports {
			if _, ok := prev[imp]; !ok {
				prev[imp] = cur
				queue = append(queue, imp)
			}
		}
	}
	return []string{target}
}

// TestPackageDocs checks that every package of the module has a package
// comment on at least one platform it builds for.
func TestPackageDocs(t *testing.T) {
	modPath, _ := moduleOf(t)
	doc := map[string]bool{}
	testOnly := map[string]bool{}
	for _, pkgs := range ownEverywhere(t) {
		for _, q := range pkgs {
			doc[q.ImportPath] = doc[q.ImportPath] || q.Doc != ""
			testOnly[q.ImportPath] = len(q.GoFiles) == 0
		}
	}
	for _, path := range slices.Sorted(maps.Keys(doc)) {
		if doc[path] {
			continue
		}
		hint := "add a package comment (a doc.go once it is more than a few lines)"
		if testOnly[path] {
			hint = "it has only test files, whose comments go list ignores: add a doc.go with the package comment"
		}
		t.Errorf("%s has no package comment: %s", rel(modPath, path), hint)
	}
}

// TestListErrors checks that go list understands every package of the
// module natively; otherwise the rules above would check partial imports.
func TestListErrors(t *testing.T) {
	modPath, _ := moduleOf(t)
	for _, q := range own(t, list(t, native, "./...")) {
		if q.Error != nil {
			t.Errorf("%s: %s", rel(modPath, q.ImportPath), q.Error.Err)
		}
	}
}
