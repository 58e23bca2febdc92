//go:build !linux

package runtime

import "github.com/tetratelabs/wazero/experimental"

// Without copy-on-write mappings an instance is restored by copying the
// whole snapshot image.
type cowImage struct{}

func newCowImage([]byte) (*cowImage, error) { return nil, nil }

func (*cowImage) close() {}

type cowMemory struct{}

func (*cowMemory) reset() error { return nil }

type cowAllocator struct {
	image *cowImage
	last  *cowMemory
	err   error
}

func (*cowAllocator) Allocate(_, _ uint64) experimental.LinearMemory { return nil }

const haveCow = false
