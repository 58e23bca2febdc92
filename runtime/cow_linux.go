//go:build linux

package runtime

import (
	"encoding/binary"
	"fmt"
	"sync"
	"syscall"
	"unsafe"

	"github.com/tetratelabs/wazero/experimental"
	"golang.org/x/sys/unix"
)

// cowImage is a module's snapshot memory in a memory file. Each instance
// maps it privately (copy-on-write), so restoring an instance is one
// madvise that drops the pages the call touched: its cost follows what the
// call wrote, not the memory's size.
type cowImage struct {
	fd    int
	size  int    // bytes of the image, a multiple of the page size
	image []byte // the same bytes, for restoring pages by copy
}

func newCowImage(image []byte) (*cowImage, error) {
	fd, err := unix.MemfdCreate("myriad-snapshot", unix.MFD_CLOEXEC)
	if err != nil {
		return nil, fmt.Errorf("runtime: memfd: %w", err)
	}
	if _, err := unix.Pwrite(fd, image, 0); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("runtime: memfd write: %w", err)
	}
	return &cowImage{fd: fd, size: len(image), image: image}, nil
}

func (c *cowImage) close() { unix.Close(c.fd) }

// cowMemory is a linear memory: a reservation of the maximum size whose
// first part maps the image privately; the rest is anonymous (zero).
type cowMemory struct {
	buf   []byte // the whole reservation
	size  uint64
	image []byte
	entry []byte // pagemap entries, reused
}

func (c *cowImage) allocate(max uint64) (*cowMemory, error) {
	if max < uint64(c.size) {
		max = uint64(c.size)
	}
	buf, err := unix.Mmap(-1, 0, int(max), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_NORESERVE)
	if err != nil {
		return nil, fmt.Errorf("runtime: reserve memory: %w", err)
	}
	if c.size > 0 {
		addr := uintptr(unsafe.Pointer(&buf[0]))
		_, _, errno := syscall.Syscall6(syscall.SYS_MMAP, addr, uintptr(c.size),
			unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_FIXED, uintptr(c.fd), 0)
		if errno != 0 {
			unix.Munmap(buf)
			return nil, fmt.Errorf("runtime: map snapshot: %w", errno)
		}
	}
	return &cowMemory{buf: buf, image: c.image}, nil
}

// Reallocate implements experimental.LinearMemory; the address never
// changes.
func (m *cowMemory) Reallocate(size uint64) []byte {
	if size > uint64(len(m.buf)) {
		return nil
	}
	m.size = size
	return m.buf[:size:size]
}

// Free implements experimental.LinearMemory.
func (m *cowMemory) Free() {
	if m.buf != nil {
		unix.Munmap(m.buf)
		m.buf = nil
	}
}

// reset puts the memory back to the image. The pages a call wrote are
// private copies; /proc/self/pagemap tells which (present or swapped, and
// not the file's page), and those are copied back from the image, so they
// stay private and the next call writes them without a fault. Without
// pagemap, every private page is dropped (madvise) and faults in again.
func (m *cowMemory) reset() error {
	if uint64(len(m.image)) == m.size && m.restorePrivate() {
		return nil
	}
	if err := unix.Madvise(m.buf[:m.size], unix.MADV_DONTNEED); err != nil {
		return fmt.Errorf("runtime: reset memory: %w", err)
	}
	return nil
}

var (
	pagemapOnce sync.Once
	pagemapFD   = -1
)

const pageSize = 4096

// restorePrivate copies the image over every private page; false if the
// page map cannot be read.
func (m *cowMemory) restorePrivate() bool {
	pagemapOnce.Do(func() {
		if fd, err := unix.Open("/proc/self/pagemap", unix.O_RDONLY|unix.O_CLOEXEC, 0); err == nil {
			pagemapFD = fd
		}
	})
	if pagemapFD < 0 || unix.Getpagesize() != pageSize {
		return false
	}
	pages := int(m.size / pageSize)
	if cap(m.entry) < pages*8 {
		m.entry = make([]byte, pages*8)
	}
	entry := m.entry[:pages*8]
	base := uintptr(unsafe.Pointer(&m.buf[0])) / pageSize
	if n, err := unix.Pread(pagemapFD, entry, int64(base*8)); err != nil || n != len(entry) {
		return false
	}
	for i := range pages {
		e := binary.LittleEndian.Uint64(entry[i*8:])
		present, swapped, file := e>>63&1 == 1, e>>62&1 == 1, e>>61&1 == 1
		if (present && !file) || swapped {
			copy(m.buf[i*pageSize:(i+1)*pageSize], m.image[i*pageSize:(i+1)*pageSize])
		}
	}
	return true
}

// cowAllocator hands out one cowMemory per instance and remembers the
// last, so the instance can be reset.
type cowAllocator struct {
	image *cowImage
	last  *cowMemory
	err   error
}

func (a *cowAllocator) Allocate(_, max uint64) experimental.LinearMemory {
	m, err := a.image.allocate(max)
	if err != nil {
		a.err = err
		return nil
	}
	a.last = m
	return m
}

const haveCow = true
