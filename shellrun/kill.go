package shellrun

import (
	"errors"
	"strconv"
	"strings"
	"syscall"
)

// signals are the signal names dash's kill takes (without SIG).
var signals = map[string]syscall.Signal{
	"HUP": syscall.SIGHUP, "INT": syscall.SIGINT, "QUIT": syscall.SIGQUIT, "ILL": syscall.SIGILL,
	"TRAP": syscall.SIGTRAP, "ABRT": syscall.SIGABRT, "BUS": syscall.SIGBUS, "FPE": syscall.SIGFPE,
	"KILL": syscall.SIGKILL, "USR1": syscall.SIGUSR1, "SEGV": syscall.SIGSEGV, "USR2": syscall.SIGUSR2,
	"PIPE": syscall.SIGPIPE, "ALRM": syscall.SIGALRM, "TERM": syscall.SIGTERM, "CHLD": syscall.SIGCHLD,
	"CONT": syscall.SIGCONT, "STOP": syscall.SIGSTOP, "TSTP": syscall.SIGTSTP, "TTIN": syscall.SIGTTIN,
	"TTOU": syscall.SIGTTOU, "URG": syscall.SIGURG, "XCPU": syscall.SIGXCPU, "XFSZ": syscall.SIGXFSZ,
	"VTALRM": syscall.SIGVTALRM, "PROF": syscall.SIGPROF, "WINCH": syscall.SIGWINCH, "IO": syscall.SIGIO,
	"PWR": syscall.SIGPWR, "SYS": syscall.SIGSYS, "EXIT": 0,
}

// signalNamed is a signal given to kill by number or name.
func signalNamed(s string) (syscall.Signal, bool) {
	if n, err := strconv.Atoi(s); err == nil && n >= 0 && n < 65 {
		return syscall.Signal(n), true
	}
	sig, ok := signals[strings.ToUpper(s)]
	return sig, ok
}

// Kill is dash's kill builtin: `kill [-s SIG | -SIG | -N] PID...`, with
// dash's messages ("kill: No such process" and the blank line dash
// prints after it); status 1 when a process could not be signalled, 2 on
// bad usage. `kill -l` is the interpreter's.
func (s *State) Kill(args ...string) {
	usage := func() {
		s.errorf("kill: Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\nkill -l [exitstatus]")
		s.Status = 2
	}
	sig := syscall.SIGTERM
	if len(args) > 0 && strings.HasPrefix(args[0], "-") && len(args[0]) > 1 {
		switch opt := args[0][1:]; {
		case opt == "l" || opt == "L":
			s.Shell("kill " + quoteWords(args))
			return
		case opt == "s":
			if len(args) < 2 {
				s.errorf("kill: No arg for -s option")
				s.Status = 2
				return
			}
			named, ok := signalNamed(args[1])
			if !ok {
				s.errorf("kill: invalid signal number or name: %s", args[1])
				s.Status = 2
				return
			}
			sig, args = named, args[2:]
		case opt == "-":
			args = args[1:]
		default:
			named, ok := signalNamed(opt)
			if !ok {
				s.errorf("kill: invalid signal number or name: %s", opt)
				s.Status = 2
				return
			}
			sig, args = named, args[1:]
		}
	}
	if len(args) == 0 {
		usage()
		return
	}
	s.Status = 0
	for _, a := range args {
		if strings.HasPrefix(a, "%") {
			s.errorf("kill: No such job: %s", a)
			s.Status = 2
			return
		}
		pid, err := strconv.Atoi(a)
		if err != nil || (pid < 0 && a[0] != '-') {
			s.errorf("kill: Illegal number: %s", a)
			s.Status = 2
			return
		}
		if err := syscall.Kill(pid, sig); err != nil {
			var errno syscall.Errno
			msg := err.Error()
			if errors.As(err, &errno) {
				msg = strings.ToUpper(msg[:1]) + msg[1:]
			}
			s.errorf("kill: %s\n", msg)
			s.Status = 1
		}
	}
}
