// switch, through sockets: the ring again, but the token travels through a socket pair per
// unit, so each hop is a wake-up caused by I/O readiness, as in a server: a goroutine's read
// parks it in the runtime's network poller (epoll) until its socket is readable. One after
// another, one goroutine writes the token into each socket and reads it straight back: the
// I/O without a switch.

package main

import (
	"encoding/binary"
	"io"
	"net"
	"os"
	"syscall"
)

// socketPair is a connected pair of Unix stream sockets, both in the runtime's poller.
func socketPair() (net.Conn, net.Conn, error) {
	fds, err := syscall.Socketpair(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return nil, nil, err
	}
	conns := make([]net.Conn, 2)
	for i, fd := range fds {
		f := os.NewFile(uintptr(fd), "socketpair")
		conns[i], err = net.FileConn(f)
		f.Close()
		if err != nil {
			return nil, nil, err
		}
	}
	return conns[0], conns[1], nil
}

func writeToken(to net.Conn, token uint64) error {
	return binary.Write(to, binary.LittleEndian, token)
}

func readToken(from net.Conn) (uint64, error) {
	var buf [8]byte
	if _, err := io.ReadFull(from, buf[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(buf[:]), nil
}

func switchIO(v variant, p switchPlan) (map[string]any, error) {
	units, hops := max(p.Units, 2), p.Hops
	writers, readers := make([]net.Conn, units), make([]net.Conn, units)
	for i := range units {
		var err error
		if writers[i], readers[i], err = socketPair(); err != nil {
			return nil, err
		}
	}
	defer func() {
		for i := range units {
			writers[i].Close()
			readers[i].Close()
		}
	}()
	var check uint64
	if v.sequential {
		window, timed := passes(p, func() {
			token := uint64(0)
			for token < hops {
				i := token % uint64(units)
				_ = writeToken(writers[i], token)
				got, _ := readToken(readers[i])
				token = got + 1
			}
			check += token
		})
		knobs := append(v.knobs(), [2]any{"channel", "socket pairs, written and read by one goroutine"})
		return report(window, 1, knobs, check, nil, timed), nil
	}
	done := make(chan uint64)
	finished := make(chan struct{})
	forwarded := make([]uint64, units)
	for i := range units {
		inbox, next := readers[i], writers[(i+1)%units]
		v.spawn(func() {
			defer func() { finished <- struct{}{} }()
			for {
				token, err := readToken(inbox)
				if err != nil {
					return
				}
				switch {
				case token == stop:
					_ = writeToken(next, stop)
					return
				case token == hops:
					done <- token
				default:
					if writeToken(next, token+1) != nil {
						return
					}
					forwarded[i]++
				}
			}
		})
	}
	window, timed := passes(p, func() {
		_ = writeToken(writers[0], 0)
		check += <-done
	})
	_ = writeToken(writers[0], stop)
	for range units {
		<-finished
	}
	knobs := append(v.knobs(), [2]any{"channel", "Unix socket pairs in the runtime's poller"})
	r := report(window, workers(v, units), knobs, check, nil, timed)
	r["forwarded"] = forwarded
	return r, nil
}
