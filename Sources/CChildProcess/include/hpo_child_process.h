#ifndef HPO_CHILD_PROCESS_H
#define HPO_CHILD_PROCESS_H

#include <sys/types.h>

/// How `hpo_spawn` starts a child.
typedef struct {
    /// Descriptors to put on the child's 0, 1 and 2; -1 keeps the parent's.
    int stdin_fd;
    int stdout_fd;
    int stderr_fd;
    /// The child's working directory; NULL keeps the parent's.
    const char *working_directory;
    /// Nonzero: the child dies with the calling *thread* (PR_SET_PDEATHSIG, SIGKILL), and a watchdog process joins
    /// the child's process group and SIGKILLs the whole group once the parent process is gone, SIGKILL included.
    /// Only for children that the calling thread waits for (a thread that exits takes the child with it).
    int dies_with_parent;
    /// Descriptors to put on the child's 3, 4, … (`extra_fds[i]` becomes descriptor 3 + i, without close-on-exec);
    /// NULL or a count of 0 for none. Every other descriptor above 2 is closed in the child.
    const int *extra_fds;
    int extra_fd_count;
} hpo_spawn_options;

/// What `hpo_spawn` started.
typedef struct {
    /// The child's pid, which is also its process-group id (it leads a new group).
    pid_t pid;
    /// The watchdog's pid (a member of the child's group), or 0 without `dies_with_parent`.
    pid_t watchdog_pid;
    /// The write end of the watchdog's pipe (close-on-exec): closing it, or this process dying, makes the watchdog
    /// SIGKILL the group. -1 without a watchdog.
    int watchdog_fd;
    /// On failure: the errno, and which step failed (1 = chdir, 2 = exec, 3 = fork or pipe).
    int error;
    int failed_step;
} hpo_spawn_result;

/// Corresponds to `fork` + `setpgid(0, 0)` + (`prctl(PR_SET_PDEATHSIG)`) + `dup2` (0–2, then 3… from `extra_fds`) + `chdir` + default signal
/// dispositions and an empty mask + `execve(path, argv, envp)` in the child, with exec errors reported back
/// through a close-on-exec pipe. Only async-signal-safe calls run between fork and exec.
///
/// Returns 0 when the child runs, -1 with `result->error` and `result->failed_step` set otherwise (a child that
/// failed to exec has been reaped).
int hpo_spawn(const char *path, char *const argv[], char *const envp[], const hpo_spawn_options *options,
              hpo_spawn_result *result);

/// Corresponds to `pidfd_open(pid, 0)` (Linux 5.3+): a descriptor that polls readable once `pid` exits.
/// Returns -1 with errno (e.g. ENOSYS) where the kernel lacks it.
int hpo_pidfd_open(pid_t pid);

/// Corresponds to `pipe2(fds, O_CLOEXEC)`: both ends close on exec, atomically (no leak into children that other
/// threads start meanwhile). Returns 0, or -1 with errno.
int hpo_pipe_cloexec(int fds[2]);

#endif
