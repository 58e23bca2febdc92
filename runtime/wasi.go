package runtime

import (
	"encoding/binary"
	"io"
	"io/fs"
	"path"
)

// This file is the WASI preview 1 subset the browser engine answers
// itself, written to give the answers wazero's wasi_snapshot_preview1
// gives under moduleConfig: no arguments, environment, files or
// preopened directories; stdin empty, stdout discarded, stderr kept for
// error messages; clocks from the block (clock), randomness from the seed
// (seededReader); sleeping returns at once. wazero stays the reference:
// the differential tests in browser_js_test.go compare the two engines on
// real guests. The functions a Go reactor imports are here; a module
// importing another WASI function is refused by the browser engine
// (wazero would answer it).

// WASI errno values.
const (
	errnoSuccess = 0
	errnoBadf    = 8
	errnoFault   = 21
	errnoInval   = 28
	errnoNosys   = 52
	errnoNotdir  = 54
	errnoNotsup  = 58
	errnoPerm    = 63
)

// wasiEnv is one instance's WASI state.
type wasiEnv struct {
	clock  *clock
	rand   *seededReader
	stderr *boundedBuffer // nil: discarded
	closed [3]bool        // stdio descriptors the guest closed (never reopened, as in wazero)
}

// open says whether fd is an open descriptor: only stdin, stdout and
// stderr exist, until closed.
func (e *wasiEnv) open(fd int32) bool { return fd >= 0 && fd <= 2 && !e.closed[fd] }

// exitTrap is panicked by proc_exit: the engine ends the call with a
// *sys.ExitError, as wazero does.
type exitTrap struct{ code uint32 }

// wasiFn is a WASI function: its signature ('i' i32, 'I' i64 per
// parameter; results "i" or "") and its body, which returns the errno.
type wasiFn struct {
	params, results string
	fn              func(e *wasiEnv, m memory, p []uint64) uint64
}

// fileRights are the rights wazero reports for stdio (its fileRightsBase).
const fileRights = 1<<1 | 1<<2 | 1<<3 | 1<<4 | 1<<5 | 1<<6 | 1<<7 | 1<<8 | 1<<20 | 1<<21 | 1<<22 | 1<<23 | 1<<27

var wasiFns = map[string]wasiFn{
	"args_get":          {"ii", "i", func(*wasiEnv, memory, []uint64) uint64 { return errnoSuccess }},
	"environ_get":       {"ii", "i", func(*wasiEnv, memory, []uint64) uint64 { return errnoSuccess }},
	"args_sizes_get":    {"ii", "i", zeroSizes},
	"environ_sizes_get": {"ii", "i", zeroSizes},
	"clock_res_get":     {"ii", "i", clockResGet},
	"clock_time_get":    {"iIi", "i", clockTimeGet},
	"random_get":        {"ii", "i", randomGet},
	"sched_yield":       {"", "i", func(*wasiEnv, memory, []uint64) uint64 { return errnoSuccess }},
	"proc_exit": {"i", "", func(_ *wasiEnv, _ memory, p []uint64) uint64 {
		panic(exitTrap{uint32(p[0])})
	}},
	"fd_write":             {"iiii", "i", fdWrite},
	"fd_pwrite":            {"iiiIi", "i", fdPwrite},
	"fd_read":              {"iiii", "i", fdRead},
	"fd_pread":             {"iiiIi", "i", fdRead},
	"fd_fdstat_get":        {"ii", "i", fdFdstatGet},
	"fd_fdstat_set_flags":  {"ii", "i", fdFdstatSetFlags},
	"fd_filestat_get":      {"ii", "i", fdFilestatGet},
	"fd_filestat_set_size": {"iI", "i", ifOpen(errnoNosys)},
	"fd_seek":              {"iIii", "i", ifOpen(errnoNosys)},
	"fd_sync":              {"i", "i", ifOpen(errnoSuccess)},
	"fd_close":             {"i", "i", fdClose},
	"fd_readdir":           {"iiiIi", "i", fdReaddir},
	"fd_prestat_get":       {"ii", "i", badf},
	"fd_prestat_dir_name":  {"iii", "i", badf},
	"path_filestat_get":    {"iiiii", "i", pathFilestatGet},
	"sock_accept":          {"iii", "i", badf},
	"sock_shutdown":        {"ii", "i", badf},
	"poll_oneoff":          {"iiii", "i", pollOneoff},
}

// ifOpen answers errno for an open descriptor (what wazero's stdio
// files answer), EBADF otherwise.
func ifOpen(errno uint64) func(*wasiEnv, memory, []uint64) uint64 {
	return func(e *wasiEnv, _ memory, p []uint64) uint64 {
		if !e.open(int32(p[0])) {
			return errnoBadf
		}
		return errno
	}
}

func badf(*wasiEnv, memory, []uint64) uint64 { return errnoBadf }

func putU32(m memory, ptr, v uint32) bool {
	return m.write(ptr, binary.LittleEndian.AppendUint32(nil, v))
}

func putU64(m memory, ptr uint32, v uint64) bool {
	return m.write(ptr, binary.LittleEndian.AppendUint64(nil, v))
}

func zeroSizes(_ *wasiEnv, m memory, p []uint64) uint64 {
	if !putU32(m, u32(p[0]), 0) || !putU32(m, u32(p[1]), 0) {
		return errnoFault
	}
	return errnoSuccess
}

func clockResGet(_ *wasiEnv, m memory, p []uint64) uint64 {
	if u32(p[0]) > 1 {
		return errnoInval
	}
	if !putU64(m, u32(p[1]), 1000) {
		return errnoFault
	}
	return errnoSuccess
}

func clockTimeGet(e *wasiEnv, m memory, p []uint64) uint64 {
	var v int64
	switch u32(p[0]) {
	case 0: // realtime
		sec, nsec := e.clock.walltime()
		v = sec*1e9 + int64(nsec)
	case 1: // monotonic
		v = e.clock.nanotime()
	default:
		return errnoInval
	}
	if !putU64(m, u32(p[2]), uint64(v)) {
		return errnoFault
	}
	return errnoSuccess
}

func randomGet(e *wasiEnv, m memory, p []uint64) uint64 {
	n := u32(p[1])
	if _, ok := m.read(u32(p[0]), n); !ok {
		return errnoFault
	}
	b := make([]byte, n)
	io.ReadFull(e.rand, b)
	m.write(u32(p[0]), b)
	return errnoSuccess
}

// iovecs reads n (pointer, length) pairs at ptr.
func iovecs(m memory, ptr, n uint32) ([][2]uint32, bool) {
	b, ok := m.read(ptr, n*8)
	if !ok {
		return nil, false
	}
	out := make([][2]uint32, n)
	for i := range out {
		out[i] = [2]uint32{binary.LittleEndian.Uint32(b[8*i:]), binary.LittleEndian.Uint32(b[8*i+4:])}
	}
	return out, true
}

// fdWrite writes to stdout (discarded) or stderr (kept); stdin cannot be
// written.
func fdWrite(e *wasiEnv, m memory, p []uint64) uint64 {
	fd := int32(p[0])
	if !e.open(fd) {
		return errnoBadf
	}
	iov, ok := iovecs(m, u32(p[1]), u32(p[2]))
	if !ok {
		return errnoFault
	}
	var n uint32
	for _, v := range iov {
		b, ok := m.read(v[0], v[1])
		if !ok {
			return errnoFault
		}
		if fd == 0 {
			return errnoBadf
		}
		if fd == 2 && e.stderr != nil {
			e.stderr.Write(b)
		}
		n += v[1]
	}
	if !putU32(m, u32(p[3]), n) {
		return errnoFault
	}
	return errnoSuccess
}

// fdPwrite: no stdio file supports positioned writes.
func fdPwrite(e *wasiEnv, m memory, p []uint64) uint64 {
	if !e.open(int32(p[0])) {
		return errnoBadf
	}
	iov, ok := iovecs(m, u32(p[1]), u32(p[2]))
	if !ok {
		return errnoFault
	}
	for _, v := range iov {
		if _, ok := m.read(v[0], v[1]); !ok {
			return errnoFault
		}
		if v[1] > 0 {
			return errnoBadf
		}
	}
	if !putU32(m, u32(p[4]), 0) {
		return errnoFault
	}
	return errnoSuccess
}

// fdRead reads stdin, which is empty (fd_pread too: the result pointer
// is the last parameter); stdout and stderr cannot be read.
func fdRead(e *wasiEnv, m memory, p []uint64) uint64 {
	fd := int32(p[0])
	if !e.open(fd) {
		return errnoBadf
	}
	iov, ok := iovecs(m, u32(p[1]), u32(p[2]))
	if !ok {
		return errnoFault
	}
	pread := len(p) == 5
	for _, v := range iov {
		if v[1] == 0 {
			continue
		}
		if _, ok := m.read(v[0], v[1]); !ok {
			return errnoFault
		}
		if fd != 0 || pread {
			return errnoBadf
		}
		break // end of stdin
	}
	if !putU32(m, u32(p[len(p)-1]), 0) {
		return errnoFault
	}
	return errnoSuccess
}

func fdClose(e *wasiEnv, _ memory, p []uint64) uint64 {
	fd := int32(p[0])
	if !e.open(fd) {
		return errnoBadf
	}
	e.closed[fd] = true
	return errnoSuccess
}

// fdFilestatGet describes stdio as wazero does: a device with one link.
func fdFilestatGet(e *wasiEnv, m memory, p []uint64) uint64 {
	if _, ok := m.read(u32(p[1]), 64); !ok {
		return errnoFault
	}
	if !e.open(int32(p[0])) {
		return errnoBadf
	}
	var b [64]byte
	b[16] = 1 // filetype: block device
	b[24] = 1 // nlink
	m.write(u32(p[1]), b[:])
	return errnoSuccess
}

func fdReaddir(e *wasiEnv, _ memory, p []uint64) uint64 {
	if u32(p[2]) < 24 {
		return errnoInval
	}
	return errnoBadf // no directory is open
}

func pathFilestatGet(e *wasiEnv, m memory, p []uint64) uint64 {
	b, ok := m.read(u32(p[2]), u32(p[3]))
	if !ok {
		return errnoFault
	}
	if !fs.ValidPath(path.Clean(string(b))) {
		return errnoPerm
	}
	if !e.open(int32(p[0])) {
		return errnoBadf
	}
	return errnoNotdir
}

func fdFdstatGet(e *wasiEnv, m memory, p []uint64) uint64 {
	if _, ok := m.read(u32(p[1]), 24); !ok {
		return errnoFault
	}
	if !e.open(int32(p[0])) {
		return errnoBadf
	}
	var b [24]byte
	b[0] = 1 // what wazero reports for its stdio files
	binary.LittleEndian.PutUint64(b[8:], fileRights)
	m.write(u32(p[1]), b[:])
	return errnoSuccess
}

func fdFdstatSetFlags(e *wasiEnv, _ memory, p []uint64) uint64 {
	fd, flags := int32(p[0]), uint16(p[1])
	switch {
	case flags&(2|8|16) != 0: // dsync, rsync, sync
		return errnoInval
	case !e.open(fd):
		return errnoBadf
	case flags&4 != 0: // nonblock
		return errnoNosys
	}
	return errnoSuccess
}

// pollOneoff acknowledges clock subscriptions at once (sleeping returns
// immediately) and reports stdin always ready (to read nothing), as
// wazero does for its stdio.
func pollOneoff(e *wasiEnv, m memory, p []uint64) uint64 {
	in, out, n, result := u32(p[0]), u32(p[1]), u32(p[2]), u32(p[3])
	if n == 0 {
		return errnoInval
	}
	subs, ok := m.read(in, n*48)
	if !ok {
		return errnoFault
	}
	events, ok := m.read(out, n*32)
	if !ok {
		return errnoFault
	}
	clear(events)
	if !putU32(m, result, n) {
		return errnoFault
	}
	nevents := uint32(0)
	put := func(sub []byte, errno uint16) {
		ev := events[nevents*32:]
		copy(ev, sub[:8])
		ev[8] = byte(errno)
		binary.LittleEndian.PutUint32(ev[10:], uint32(sub[8]))
		nevents++
	}
	var blocked [][]byte
	for i := range n {
		sub := subs[i*48 : i*48+48]
		arg := sub[16:]
		switch sub[8] {
		case 0: // clock
			switch binary.LittleEndian.Uint16(arg[24:]) {
			case 0:
			case 1:
				m.write(out, events)
				return errnoNotsup
			default:
				m.write(out, events)
				return errnoInval
			}
			put(sub, 0)
		case 1: // fd_read: no descriptor is non-blocking
			fd := int32(binary.LittleEndian.Uint32(arg))
			switch {
			case fd < 0:
				m.write(out, events)
				return errnoBadf
			case !e.open(fd):
				put(sub, errnoBadf)
			default:
				blocked = append(blocked, sub)
			}
		case 2: // fd_write
			fd := int32(binary.LittleEndian.Uint32(arg))
			switch {
			case fd < 0:
				m.write(out, events)
				return errnoBadf
			case e.open(fd):
				put(sub, errnoNotsup)
			default:
				put(sub, errnoBadf)
			}
		default:
			m.write(out, events)
			return errnoInval
		}
	}
	if nevents == n {
		m.write(out, events)
		return errnoSuccess
	}
	if !e.open(0) {
		m.write(out, events)
		return errnoBadf
	}
	for _, sub := range blocked { // stdin is always ready
		put(sub, 0)
	}
	m.write(out, events)
	return errnoSuccess
}
