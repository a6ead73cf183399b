package gitapi

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// generationInfinity is the generation of a commit the commit-graph
// does not hold, as git counts it.
const generationInfinity = uint64(1)<<63 - 1

// commitGraph is what git's reachability walks read from the
// commit-graph files: each commit's generation number (a corrected
// commit date, or a topological level for older files).
type commitGraph struct {
	layers []*commitGraphFile // the base first
	// corrected is set when the generations are corrected commit
	// dates (every layer has generation data).
	corrected bool
	// enabled is git's generation_numbers_enabled: a graph whose
	// first commit has a non-zero level.
	enabled bool
}

// commitGraphFile is one commit-graph file's lookup and data chunks.
type commitGraphFile struct {
	fanout       []byte // OIDF
	oids         []byte // OIDL
	data         []byte // CDAT
	genData      []byte // GDA2, nil when absent
	genOverflow  []byte // GDO2
	count        int
	readGenerate bool
}

// loadCommitGraph reads the repository's commit-graph (a single file,
// else a chain of layers); nil when there is none, when core.commitGraph
// is off, or when grafts, a shallow file or replace refs make git ignore
// it. A file git would reject is ignored too.
func (r *Repo) loadCommitGraph() *commitGraph {
	if !r.commitGraphCompatible() {
		return nil
	}
	readGenData := true
	if cfg, err := r.Config(); err == nil {
		if on, err := cfg.Bool("core.commitgraph", true); err != nil || !on {
			return nil
		}
		if v, err := cfg.Int("commitgraph.generationversion", 2); err == nil && v < 2 {
			readGenData = false
		}
	}
	info := filepath.Join(r.objectDir(), "info")
	var layers []*commitGraphFile
	if f := readCommitGraphFile(filepath.Join(info, "commit-graph"), readGenData); f != nil {
		layers = []*commitGraphFile{f}
	} else {
		layers = readCommitGraphChain(filepath.Join(info, "commit-graphs"), readGenData)
	}
	if len(layers) == 0 {
		return nil
	}
	g := &commitGraph{layers: layers, corrected: true}
	for _, l := range layers {
		g.corrected = g.corrected && l.readGenerate
	}
	top := layers[len(layers)-1]
	g.enabled = top.count > 0 && binary.BigEndian.Uint32(top.data[HexSize/2+8:])>>2 != 0
	return g
}

// commitGraphCompatible reports whether git would use a commit-graph:
// not with grafts, a shallow repository or replace refs.
func (r *Repo) commitGraphCompatible() bool {
	for _, name := range []string{"info/grafts", "shallow"} {
		if _, err := os.Stat(filepath.Join(r.commonDir, name)); err == nil {
			return false
		}
	}
	if _, ok := r.env["GIT_NO_REPLACE_OBJECTS"]; !ok {
		if refs, err := r.Refs("refs/replace/"); err == nil && len(refs) > 0 {
			return false
		}
	}
	return true
}

// readCommitGraphChain reads the layers a commit-graph-chain names.
func readCommitGraphChain(dir string, readGenData bool) []*commitGraphFile {
	chain, err := os.ReadFile(filepath.Join(dir, "commit-graph-chain"))
	if err != nil {
		return nil
	}
	var layers []*commitGraphFile
	sc := bufio.NewScanner(bytes.NewReader(chain))
	for sc.Scan() {
		f := readCommitGraphFile(filepath.Join(dir, "graph-"+strings.TrimSpace(sc.Text())+".graph"), readGenData)
		if f == nil {
			break // git keeps the layers below a broken one
		}
		layers = append(layers, f)
	}
	return layers
}

// graphFiles caches parsed commit-graph files by path, while their
// size and modification time stay the same (git replaces them, never
// rewrites them in place).
var graphFiles struct {
	sync.Mutex
	byPath map[string]cachedGraphFile
}

type cachedGraphFile struct {
	size    int64
	modTime time.Time
	file    *commitGraphFile
}

// readCommitGraphFile parses one commit-graph file, or takes it from
// the cache; nil if it is missing or malformed.
func readCommitGraphFile(path string, readGenData bool) *commitGraphFile {
	info, err := os.Stat(path)
	if err != nil {
		return nil
	}
	key := fmt.Sprintf("%t:%s", readGenData, path)
	graphFiles.Lock()
	defer graphFiles.Unlock()
	if c, ok := graphFiles.byPath[key]; ok && c.size == info.Size() && c.modTime.Equal(info.ModTime()) {
		return c.file
	}
	f := parseCommitGraphFile(path, readGenData)
	if graphFiles.byPath == nil {
		graphFiles.byPath = map[string]cachedGraphFile{}
	}
	graphFiles.byPath[key] = cachedGraphFile{size: info.Size(), modTime: info.ModTime(), file: f}
	return f
}

// parseCommitGraphFile reads one commit-graph file; nil if it is
// malformed.
func parseCommitGraphFile(path string, readGenData bool) *commitGraphFile {
	buf, err := os.ReadFile(path)
	if err != nil || len(buf) < 8 || string(buf[:4]) != "CGPH" || buf[4] != 1 || buf[5] != 1 {
		return nil
	}
	chunks := int(buf[6])
	if len(buf) < 8+12*(chunks+1) {
		return nil
	}
	f := &commitGraphFile{}
	for i := 0; i < chunks; i++ {
		entry := buf[8+12*i:]
		start, end := binary.BigEndian.Uint64(entry[4:]), binary.BigEndian.Uint64(entry[16:])
		if start > end || end > uint64(len(buf)) {
			return nil
		}
		chunk := buf[start:end]
		switch string(entry[:4]) {
		case "OIDF":
			f.fanout = chunk
		case "OIDL":
			f.oids = chunk
		case "CDAT":
			f.data = chunk
		case "GDA2":
			f.genData = chunk
		case "GDO2":
			f.genOverflow = chunk
		}
	}
	if len(f.fanout) != 256*4 {
		return nil
	}
	f.count = int(binary.BigEndian.Uint32(f.fanout[255*4:]))
	if len(f.oids) < f.count*20 || len(f.data) < f.count*36 {
		return nil
	}
	f.readGenerate = readGenData && len(f.genData) >= f.count*4
	return f
}

// lookup finds a commit's position in the file.
func (f *commitGraphFile) lookup(id Hash) (int, bool) {
	lo := 0
	if id[0] > 0 {
		lo = int(binary.BigEndian.Uint32(f.fanout[(int(id[0])-1)*4:]))
	}
	hi := int(binary.BigEndian.Uint32(f.fanout[int(id[0])*4:]))
	if hi > f.count || lo > hi {
		return 0, false
	}
	i := lo + sort.Search(hi-lo, func(k int) bool {
		return bytes.Compare(f.oids[(lo+k)*20:(lo+k)*20+20], id[:]) >= 0
	})
	return i, i < hi && bytes.Equal(f.oids[i*20:i*20+20], id[:])
}

// generation is a commit's generation number as git reads it, or
// generationInfinity for a commit the graph does not hold.
func (g *commitGraph) generation(id Hash) uint64 {
	if g == nil {
		return generationInfinity
	}
	for _, f := range g.layers {
		i, ok := f.lookup(id)
		if !ok {
			continue
		}
		rec := f.data[i*36+20:]
		hi, lo := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		date := uint64(hi&3)<<32 | uint64(lo)
		gen := uint64(hi >> 2)
		if g.corrected {
			offset := uint64(binary.BigEndian.Uint32(f.genData[i*4:]))
			if offset&0x80000000 != 0 {
				k := int(offset &^ 0x80000000)
				if len(f.genOverflow) < (k+1)*8 {
					return generationInfinity
				}
				offset = binary.BigEndian.Uint64(f.genOverflow[k*8:])
			}
			gen = date + offset
		}
		if gen == 0 {
			return generationInfinity
		}
		return gen
	}
	return generationInfinity
}
