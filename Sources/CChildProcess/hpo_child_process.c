#define _GNU_SOURCE
#include "hpo_child_process.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

/// In a fresh child: report `step` and errno to the parent through `fd`, then exit 127.
static void report_and_exit(int fd, int step) {
    int message[2] = { step, errno };
    ssize_t ignored = write(fd, message, sizeof message);
    (void)ignored;
    _exit(127);
}

/// Default dispositions for every catchable signal and an empty mask (the parent's handlers and mask are not
/// the child's business).
static void reset_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = SIG_DFL;
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP) continue;
        sigaction(signal_number, &action, NULL);   // EINVAL for the C library's reserved signals: harmless
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/// The watchdog: a member of group `group` that ignores the stop signals sent to the group, waits until the
/// parent's end of `read_fd` closes (the parent closed it, or died), and then SIGKILLs the group, itself included.
static void run_watchdog(pid_t group, int read_fd) {
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    int ignored_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2 };
    for (unsigned i = 0; i < sizeof ignored_signals / sizeof ignored_signals[0]; i++) {
        sigaction(ignored_signals[i], &ignore, NULL);
    }
    setpgid(0, group);
    // Hold nothing else open: no pipe of the child or of other children may stay open because of the watchdog.
    if (read_fd != 3) {
        dup2(read_fd, 3);
        read_fd = 3;
    }
    if (syscall(SYS_close_range, 4, ~0U, 0) != 0) {
        for (int fd = 4; fd < 1024; fd++) close(fd);
    }
    for (int fd = 0; fd < 3; fd++) close(fd);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    char byte;
    while (read(read_fd, &byte, 1) < 0 && errno == EINTR) {}
    kill(-group, SIGKILL);
    _exit(0);
}

int hpo_spawn(const char *path, char *const argv[], char *const envp[], const hpo_spawn_options *options,
              hpo_spawn_result *result) {
    memset(result, 0, sizeof *result);
    result->watchdog_fd = -1;
    // status: exec errors back to the parent. go: the parent lets the child exec once its watchdog stands, so no
    // user code runs in the group before the group is guarded. watch: the watchdog's lifeline.
    int status_pipe[2] = { -1, -1 }, go_pipe[2] = { -1, -1 }, watch_pipe[2] = { -1, -1 };
    int guarded = options->dies_with_parent;
    if (pipe2(status_pipe, O_CLOEXEC) != 0
        || (guarded && (pipe2(go_pipe, O_CLOEXEC) != 0 || pipe2(watch_pipe, O_CLOEXEC) != 0))) {
        result->error = errno;
        result->failed_step = 3;
        int all[] = { status_pipe[0], status_pipe[1], go_pipe[0], go_pipe[1], watch_pipe[0], watch_pipe[1] };
        for (unsigned i = 0; i < 6; i++) if (all[i] >= 0) close(all[i]);
        return -1;
    }
    // No signal handler of the parent may run in a child between fork and exec.
    sigset_t all_signals, previous;
    sigfillset(&all_signals);
    pthread_sigmask(SIG_SETMASK, &all_signals, &previous);
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        setpgid(0, 0);
        if (guarded) {
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(127);   // the parent died before prctl took effect
            close(go_pipe[1]);
            char go = 0;
            ssize_t count;
            do { count = read(go_pipe[0], &go, 1); } while (count < 0 && errno == EINTR);
            if (count != 1) _exit(127);   // the parent died before the watchdog stood
        }
        // Descriptors 3 … 3 + extra - 1 are the child's: first move the status pipe and every extra source above
        // them (F_DUPFD takes the lowest free number >= the base and closes nothing), so no dup2 below closes a
        // descriptor that is still needed.
        int extra = options->extra_fds ? options->extra_fd_count : 0;
        if (extra < 0 || extra > 16) { errno = EINVAL; report_and_exit(status_pipe[1], 3); }
        int first_free = 3 + extra;
        int status_fd = status_pipe[1];
        if (status_fd < first_free) {
            status_fd = fcntl(status_pipe[1], F_DUPFD_CLOEXEC, first_free);
            if (status_fd < 0) report_and_exit(status_pipe[1], 3);
        }
        int moved[16];
        for (int i = 0; i < extra; i++) {
            moved[i] = fcntl(options->extra_fds[i], F_DUPFD, first_free);
            if (moved[i] < 0) report_and_exit(status_fd, 3);
        }
        if (options->stdin_fd >= 0 && dup2(options->stdin_fd, 0) < 0) report_and_exit(status_fd, 3);
        if (options->stdout_fd >= 0 && dup2(options->stdout_fd, 1) < 0) report_and_exit(status_fd, 3);
        if (options->stderr_fd >= 0 && dup2(options->stderr_fd, 2) < 0) report_and_exit(status_fd, 3);
        for (int i = 0; i < extra; i++) {
            if (dup2(moved[i], 3 + i) < 0) report_and_exit(status_fd, 3);   // dup2 clears close-on-exec
        }
        if (options->working_directory && chdir(options->working_directory) != 0) report_and_exit(status_fd, 1);
        // Nothing but 0, 1, 2 and the extra descriptors survives the exec: descriptors the parent leaked (a socket,
        // another child's pipe, the end its own parent watches for its exit) would otherwise outlive it in the child.
        if (syscall(SYS_close_range, first_free, ~0U, CLOSE_RANGE_CLOEXEC) != 0) {
            for (int fd = first_free; fd < 4096; fd++) fcntl(fd, F_SETFD, FD_CLOEXEC);
        }
        reset_signals();
        execve(path, argv, envp);
        report_and_exit(status_fd, 2);
    }
    if (child < 0) {
        int saved = errno;
        pthread_sigmask(SIG_SETMASK, &previous, NULL);
        int all[] = { status_pipe[0], status_pipe[1], go_pipe[0], go_pipe[1], watch_pipe[0], watch_pipe[1] };
        for (unsigned i = 0; i < 6; i++) if (all[i] >= 0) close(all[i]);
        result->error = saved;
        result->failed_step = 3;
        return -1;
    }
    setpgid(child, child);   // also here, so the group exists whichever of the two runs first
    close(status_pipe[1]);
    pid_t watchdog = 0;
    if (guarded) {
        watchdog = fork();
        if (watchdog == 0) run_watchdog(child, watch_pipe[0]);
        close(watch_pipe[0]);
        if (watchdog > 0) {
            setpgid(watchdog, child);
        } else {
            watchdog = 0;   // no watchdog: PR_SET_PDEATHSIG still covers the leader
            close(watch_pipe[1]);
            watch_pipe[1] = -1;
        }
        close(go_pipe[0]);
        ssize_t written;
        do { written = write(go_pipe[1], "g", 1); } while (written < 0 && errno == EINTR);
        close(go_pipe[1]);
    }
    int message[2] = { 0, 0 };
    ssize_t count;
    do { count = read(status_pipe[0], message, sizeof message); } while (count < 0 && errno == EINTR);
    close(status_pipe[0]);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    if (count == (ssize_t)sizeof message) {
        int status;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
        if (watchdog > 0) {
            close(watch_pipe[1]);   // the watchdog kills the (now empty) group, itself included
            while (waitpid(watchdog, &status, 0) < 0 && errno == EINTR) {}
        }
        result->failed_step = message[0];
        result->error = message[1];
        return -1;
    }
    result->pid = child;
    result->watchdog_pid = watchdog;
    result->watchdog_fd = watchdog > 0 ? watch_pipe[1] : -1;
    return 0;
}

int hpo_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int hpo_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}
