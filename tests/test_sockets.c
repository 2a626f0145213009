/* Check suite for the sockets chapter: the echo server under many clients, back-pressure,
   half-close, resets, EMFILE, stopping without leaks; the client's checks; both programs'
   messages; the pitfalls as the chapter runs them. Everything on 127.0.0.1, port 0. */
#define _GNU_SOURCE
#include "sockets/address.h"
#include "sockets/client.h"
#include "sockets/echo.h"
#include "sockets/sockets.h"
#include "waker/tally_waker.h"

#include <check.h>

#include "check_support.h"
#include "run_captured.h"
#include <errno.h>
#include <poll.h>
#include <regex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#ifndef BUILD_DIR
#define BUILD_DIR "build"
#endif

/* ---------- a server in a child process ---------- */

/* What the child reports when it stops: its statistics, and whether it left a descriptor. */
struct child_report {
    struct sockets_server_stats stats;
    int err, fds_before, fds_after;
};

struct server {
    pid_t pid;
    int port, report_fd;
};

/* Waits until fd has events (POLLIN or POLLOUT), failing the test after seconds. */
static void wait_for(int fd, short events, double seconds)
{
    struct pollfd p = {fd, events, 0};
    int n;
    do n = poll(&p, 1, (int)(check_deadline_seconds(seconds) * 1000));
    while (n < 0 && errno == EINTR);
    ck_assert_msg(n == 1, "descriptor %d not ready for %s within %.0f s", fd,
                  events == POLLIN ? "reading" : "writing", check_deadline_seconds(seconds));
}

/* Reads from fd into text (size bytes, zeroed by the caller) until it holds a whole line,
   waiting at most seconds for each read; returns how many bytes it read. */
static size_t read_first_line(int fd, char *text, size_t size, double seconds)
{
    size_t n = 0;
    while (!strchr(text, '\n')) {
        wait_for(fd, POLLIN, seconds);
        ssize_t got = read(fd, text + n, size - 1 - n);
        ck_assert_int_gt(got, 0);
        n += (size_t)got;
    }
    return n;
}

/* Starts sockets_serve in a child. max_fds > 0: the child may open only that many more
   descriptors than it holds when it starts serving (RLIMIT_NOFILE, getrlimit(2)). */
static struct server server_start(struct sockets_server_options options, int max_fds)
{
    struct sockaddr_in addr;
    ck_assert_int_eq(sockets_parse_address("0", &addr, "test", stderr), 0);
    int listen_fd = sockets_listen(&addr, "test", stderr), report[2];
    ck_assert_int_ge(listen_fd, 0);
    ck_assert_int_eq(pipe2(report, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(report[0]);
        sigset_t stop;
        sigemptyset(&stop);
        sigaddset(&stop, SIGTERM);
        sigprocmask(SIG_BLOCK, &stop, NULL);
        int stop_fd = signalfd(-1, &stop, SFD_NONBLOCK | SFD_CLOEXEC);
        struct child_report r = {.fds_before = open_fd_count()};
        if (max_fds > 0) {      /* the limit is on numbers: leave 2 (the epolls) + max_fds */
            struct rlimit lim = {0, 0};
            getrlimit(RLIMIT_NOFILE, &lim);
            int number = 0;
            for (int free_left = 2 + max_fds; free_left > 0; number++)
                free_left -= fcntl(number, F_GETFD) < 0;
            lim.rlim_cur = (rlim_t)number;
            setrlimit(RLIMIT_NOFILE, &lim);
        }
        char ready = 'r';
        if (stop_fd < 0 || write(report[1], &ready, 1) != 1)
            _exit(3);
        r.err = sockets_serve(listen_fd, stop_fd, &options, &r.stats);
        r.fds_after = open_fd_count();
        _exit(write(report[1], &r, sizeof r) == sizeof r ? 0 : 3);
    }
    close(report[1]);
    close(listen_fd);
    char ready;
    wait_for(report[0], POLLIN, 10);
    ck_assert_int_eq(read(report[0], &ready, 1), 1);
    return (struct server){pid, ntohs(addr.sin_port), report[0]};
}

/* Stops the child with SIGTERM and returns its report; it must have exited normally. */
static struct child_report server_stop(struct server s)
{
    ck_assert_int_eq(kill(s.pid, SIGTERM), 0);
    struct child_report r;
    wait_for(s.report_fd, POLLIN, 30);
    ssize_t got = read(s.report_fd, &r, sizeof r);
    close(s.report_fd);
    int status;
    ck_assert_int_eq(waitpid(s.pid, &status, 0), s.pid);
    ck_assert_msg(!WIFSIGNALED(status), "the server died of signal %d (%s)", WTERMSIG(status),
                  strsignal(WTERMSIG(status)));
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "server exit status %d",
                  WEXITSTATUS(status));
    ck_assert_int_eq(got, (ssize_t)sizeof r);
    ck_assert_int_eq(r.err, 0);
    ck_assert_int_eq(r.fds_after, r.fds_before);        /* no descriptor left behind */
    return r;
}

static const struct sockets_server_options defaults = SOCKETS_SERVER_DEFAULTS;

/* ---------- plain blocking-free clients for the tests ---------- */

/* A connected, non-blocking client; rcvbuf > 0 sets its receive buffer first (socket(7)),
   so that the echo of a client that does not read fills it soon. */
static int client_connect_rcvbuf(int port, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ck_assert_int_ge(fd, 0);
    if (rcvbuf > 0)
        ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf), 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
                            .sin_addr = {htonl(INADDR_LOOPBACK)}};
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(fcntl(fd, F_SETFL, O_NONBLOCK), 0);
    return fd;
}

static int client_connect(int port)
{
    return client_connect_rcvbuf(port, 0);
}

static void send_all(int fd, const unsigned char *buf, size_t len)
{
    for (size_t done = 0; done < len;) {
        ssize_t n = send(fd, buf + done, len - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EAGAIN)
            wait_for(fd, POLLOUT, 10);
        else {
            ck_assert_int_gt(n, 0);
            done += (size_t)n;
        }
    }
}

/* Reads exactly len bytes (or up to end of stream when eof_ok); returns how many. */
static size_t recv_all(int fd, unsigned char *buf, size_t len, int eof_ok)
{
    size_t done = 0;
    while (done < len) {
        ssize_t n = recv(fd, buf + done, len - done, 0);
        if (n < 0 && errno == EAGAIN)
            wait_for(fd, POLLIN, 10);
        else if (n == 0 && eof_ok)
            break;
        else {
            ck_assert_msg(n > 0, "recv after %zu of %zu bytes: %s", done, len,
                          n == 0 ? "end of stream" : strerror(errno));
            done += (size_t)n;
        }
    }
    return done;
}

static void echo_once(int fd, const char *text)
{
    char back[64] = "";
    send_all(fd, (const unsigned char *)text, strlen(text));
    recv_all(fd, (unsigned char *)back, strlen(text), 0);
    ck_assert_str_eq(back, text);
}

static void expect_end_of_stream(int fd)
{
    unsigned char c;
    wait_for(fd, POLLIN, 10);
    ck_assert_int_eq(recv(fd, &c, 1, 0), 0);
}

static void fill(unsigned char *buf, size_t client, size_t offset, size_t len)
{
    for (size_t i = 0; i < len; i++)
        buf[i] = sockets_client_byte(client, offset + i);
}

/* ---------- many clients ---------- */

START_TEST(thousand_clients_64k_each_echoed_exactly)
{
    struct server s = server_start(defaults, 0);
    struct sockets_client_options o = {.clients = 1000, .bytes = 65536, .chunk = 16384};
    ck_assert_int_eq(sockets_parse_address("0", &o.addr, "test", stderr), 0);
    o.addr.sin_port = htons((unsigned short)s.port);
    struct sockets_client_report rep;
    ck_assert_int_eq(sockets_client_run(&o, &rep, stderr), 0);
    ck_assert_uint_eq(rep.messages, 1000 * 4);
    ck_assert(rep.p50_us <= rep.p99_us);
    struct child_report r = server_stop(s);
    ck_assert_uint_eq(r.stats.served, 1000);
    ck_assert_uint_eq(r.stats.held, 0);
    ck_assert_uint_le(r.stats.held_peak, 1000 * defaults.buffer);
}
END_TEST

/* ---------- back-pressure ---------- */

static long vm_rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

/* The client sends 8 MB before it reads a byte. The server reads one buffer, cannot echo it
   all, and stops reading: its memory stays where it was, and every byte comes back. */
START_TEST(client_that_does_not_read_is_held_back_not_buffered)
{
    enum { TOTAL = 8 << 20 };
    struct server s = server_start(defaults, 0);
    int fd = client_connect_rcvbuf(s.port, 65536);
    echo_once(fd, "warm up");
    long rss_before = vm_rss_kb(s.pid);
    unsigned char *out = malloc(TOTAL), *in = malloc(TOTAL);
    ck_assert(out && in);
    fill(out, 7, 0, TOTAL);
    size_t sent = 0, got = 0;
    while (sent < TOTAL) {                  /* send until the kernel stops us: no reading */
        ssize_t n = send(fd, out + sent, TOTAL - sent, MSG_NOSIGNAL);
        if (n > 0)
            sent += (size_t)n;
        else if (poll(&(struct pollfd){fd, POLLOUT, 0}, 1, 500) == 0)
            break;                          /* held back by TCP's window */
    }
    long rss_stuck = vm_rss_kb(s.pid);
    ck_assert_msg(rss_stuck - rss_before < 2048, "server grew from %ld kB to %ld kB",
                  rss_before, rss_stuck);
    while (got < TOTAL) {                   /* now read, and send the rest as it fits */
        struct pollfd p = {fd, (short)(POLLIN | (sent < TOTAL ? POLLOUT : 0)), 0};
        ck_assert_int_eq(poll(&p, 1, (int)(check_deadline_seconds(10) * 1000)), 1);
        ssize_t n;
        if ((p.revents & POLLOUT) && (n = send(fd, out + sent, TOTAL - sent, MSG_NOSIGNAL)) > 0)
            sent += (size_t)n;
        if ((p.revents & POLLIN) && (n = recv(fd, in + got, TOTAL - got, 0)) > 0)
            got += (size_t)n;
    }
    ck_assert(memcmp(in, out, TOTAL) == 0);
    close(fd);
    free(out);
    free(in);
    struct child_report r = server_stop(s);
    ck_assert_uint_le(r.stats.held_peak, defaults.buffer);   /* one buffer, never more */
}
END_TEST

/* ---------- closing ---------- */

START_TEST(half_close_gets_everything_back_then_end_of_stream)
{
    enum { LEN = 300000 };
    struct server s = server_start(defaults, 0);
    int fd = client_connect(s.port);
    unsigned char *out = malloc(LEN), *in = malloc(LEN + 1);
    fill(out, 1, 0, LEN);
    size_t sent = 0, got = 0;
    int shut = 0;
    while (!shut || got < LEN + 1) {        /* send, shut down writing, read to the end */
        struct pollfd p = {fd, (short)(POLLIN | (!shut ? POLLOUT : 0)), 0};
        ck_assert_int_eq(poll(&p, 1, (int)(check_deadline_seconds(10) * 1000)), 1);
        ssize_t n;
        if (!shut && (p.revents & POLLOUT) && (n = send(fd, out + sent, LEN - sent, 0)) > 0 &&
            (sent += (size_t)n) == LEN)
            shut = shutdown(fd, SHUT_WR) == 0;
        if (p.revents & POLLIN) {
            n = recv(fd, in + got, LEN + 1 - got, 0);
            ck_assert_int_ge(n, 0);
            if (n == 0)
                break;
            got += (size_t)n;
        }
    }
    ck_assert_uint_eq(got, LEN);            /* all of it, then end of stream, nothing more */
    ck_assert(memcmp(in, out, LEN) == 0);
    close(fd);
    free(out);
    free(in);
    ck_assert_uint_eq(server_stop(s).stats.served, 1);
}
END_TEST

/* A client that closes while the server writes to it: the server's send fails (EPIPE or
   ECONNRESET), without SIGPIPE, and the next client is served. */
START_TEST(client_gone_mid_write_leaves_the_server_serving)
{
    struct server s = server_start(defaults, 0);
    int fd = client_connect(s.port);
    size_t len = 4 << 20;
    unsigned char *out = malloc(len);
    fill(out, 2, 0, len);
    ssize_t n;
    size_t sent = 0;
    while ((n = send(fd, out + sent, len - sent, MSG_NOSIGNAL)) > 0)
        sent += (size_t)n;                  /* until the window closes: the server is writing */
    close(fd);                              /* unread data: the kernel resets (RFC 2525) */
    free(out);
    int again = client_connect(s.port);
    echo_once(again, "still here");
    close(again);
    ck_assert_uint_eq(server_stop(s).stats.served, 2);
}
END_TEST

START_TEST(reset_by_peer_leaves_the_server_serving)
{
    struct server s = server_start(defaults, 0);
    int fd = client_connect(s.port);
    echo_once(fd, "before the reset");
    struct linger abort_on_close = {1, 0};  /* socket(7): close sends a reset */
    ck_assert_int_eq(setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close,
                                sizeof abort_on_close), 0);
    send_all(fd, (const unsigned char *)"unanswered", 10);
    close(fd);
    int again = client_connect(s.port);
    echo_once(again, "after the reset");
    close(again);
    ck_assert_uint_eq(server_stop(s).stats.served, 2);
}
END_TEST

/* Stopping shuts live connections down: each idle client sees the end of its stream. One
   client has not read its echo, so its task waits to write: after the shutdown its send fails
   with EPIPE, which without MSG_NOSIGNAL would kill the server with SIGPIPE. */
START_TEST(stop_ends_live_connections_and_leaves_no_descriptor)
{
    struct server s = server_start(defaults, 0);
    int fds[5], writer = client_connect(s.port);
    for (int i = 0; i < 5; i++) {
        fds[i] = client_connect(s.port);
        echo_once(fds[i], "idle next");
    }
    static unsigned char out[1 << 20];
    size_t sent = 0;
    ssize_t n;
    while ((n = send(writer, out, sizeof out, MSG_NOSIGNAL)) > 0 ||
           poll(&(struct pollfd){writer, POLLOUT, 0}, 1, 500) == 1)
        sent += n > 0 ? (size_t)n : 0;      /* until TCP's window stops it: the server waits */
    ck_assert_uint_gt(sent, defaults.buffer);
    struct child_report r = server_stop(s);     /* exited, and fds_after == fds_before */
    ck_assert_uint_eq(r.stats.served, 6);
    close(writer);
    for (int i = 0; i < 5; i++) {
        expect_end_of_stream(fds[i]);
        close(fds[i]);
    }
}
END_TEST

/* ---------- out of descriptors ---------- */

START_TEST(accept_waits_out_emfile_and_serves_the_others)
{
    /* valgrind keeps a descriptor table and limit of its own, and closes a connection
       accepted past that limit: the EMFILE path cannot be seen under it. */
    if (RUNNING_ON_VALGRIND) {
        printf("test_sockets: EMFILE not tested under valgrind\n");
        return;
    }
    struct server s = server_start(defaults, 3);    /* room for three connections */
    int c[4];
    for (int i = 0; i < 3; i++) {
        c[i] = client_connect(s.port);
        echo_once(c[i], "one of three");
    }
    c[3] = client_connect(s.port);      /* queued by the kernel; accept says EMFILE */
    send_all(c[3], (const unsigned char *)"fourth", 6);
    for (int round = 0; round < 20; round++) {
        echo_once(c[1], "the others are served");
        echo_once(c[2], "the others are served");
    }
    close(c[0]);                        /* frees a descriptor: the fourth is accepted */
    char back[7] = "";
    recv_all(c[3], (unsigned char *)back, 6, 0);
    ck_assert_str_eq(back, "fourth");
    for (int i = 1; i < 4; i++)
        close(c[i]);
    struct child_report r = server_stop(s);
    ck_assert_uint_eq(r.stats.served, 4);
    ck_assert_uint_ge(r.stats.out_of_fds, 1);
    ck_assert_uint_le(r.stats.out_of_fds, 3);     /* no spinning while it waited */
}
END_TEST

/* ---------- the client checks what it gets ---------- */

/* A bad echo server: echoes, but changes the byte at offset 5000. */
static struct server bad_server_start(void)
{
    struct sockaddr_in addr;
    ck_assert_int_eq(sockets_parse_address("0", &addr, "test", stderr), 0);
    int listen_fd = sockets_listen(&addr, "test", stderr);
    ck_assert_int_ge(listen_fd, 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        struct pollfd p = {listen_fd, POLLIN, 0};
        poll(&p, 1, 10000);
        int fd = accept(listen_fd, NULL, NULL);
        char buf[4096];
        ssize_t n;
        size_t at = 0;
        while ((n = read(fd, buf, sizeof buf)) > 0) {
            if (at <= 5000 && 5000 < at + (size_t)n)
                buf[5000 - at] ^= 0x40;
            if (write(fd, buf, (size_t)n) != n)
                _exit(1);
            at += (size_t)n;
        }
        _exit(0);
    }
    close(listen_fd);
    return (struct server){pid, ntohs(addr.sin_port), -1};
}

START_TEST(client_names_the_client_and_byte_that_came_back_wrong)
{
    struct server s = bad_server_start();
    char port[16], out[256], err[512];
    snprintf(port, sizeof port, "%d", s.port);
    char *argv[] = {BUILD_DIR "/sockets-client", port, "1", "20000", "3000", NULL};
    ck_assert_int_eq(run_captured(argv, NULL, NULL, out, sizeof out, err, sizeof err), 1);
    unsigned char sent = sockets_client_byte(0, 5000);
    char expect[128];
    snprintf(expect, sizeof expect, "sockets-client: client 0: byte 5000: sent 0x%02x, got "
             "0x%02x\n", sent, sent ^ 0x40);
    ck_assert_str_eq(err, expect);
    ck_assert_str_eq(out, "");
    kill(s.pid, SIGKILL);
    waitpid(s.pid, NULL, 0);
}
END_TEST

START_TEST(client_prints_its_one_line_report)
{
    struct server s = server_start(defaults, 0);
    char port[32], out[512], err[256];
    snprintf(port, sizeof port, "127.0.0.1:%d", s.port);
    char *argv[] = {BUILD_DIR "/sockets-client", port, "3", "10000", "1000", NULL};
    ck_assert_int_eq(run_captured(argv, NULL, NULL, out, sizeof out, err, sizeof err), 0);
    regex_t re;
    ck_assert_int_eq(regcomp(&re, "^clients 3 bytes 10000 chunk 1000 messages 30 seconds "
                             "[0-9.]+ MB/s [0-9.]+ p50_us [0-9.]+ p99_us [0-9.]+\n$",
                             REG_EXTENDED), 0);
    ck_assert_msg(regexec(&re, out, 0, NULL, 0) == 0, "report: %s", out);
    regfree(&re);
    ck_assert_str_eq(err, "");
    ck_assert_uint_eq(server_stop(s).stats.served, 3);
}
END_TEST

/* ---------- the programs' messages ---------- */

static int run(char *const argv[], char *out, size_t outlen, char *err, size_t errlen)
{
    return run_captured(argv, NULL, NULL, out, outlen, err, errlen);
}

START_TEST(server_says_what_is_wrong_with_its_address)
{
    char out[256], err[512];
    char *bad_host[] = {BUILD_DIR "/sockets", "localhost.x:80", NULL};
    ck_assert_int_eq(run(bad_host, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "sockets: bad address 'localhost.x:80': HOST in [HOST:]PORT must be "
                     "an IPv4 address such as 127.0.0.1\n");
    char *ipv6[] = {BUILD_DIR "/sockets", "::1", NULL};
    ck_assert_int_eq(run(ipv6, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "sockets: bad address '::1': HOST in [HOST:]PORT must be an IPv4 "
                     "address such as 127.0.0.1\n");
    char *bad_port[] = {BUILD_DIR "/sockets", "127.0.0.1:70000", NULL};
    ck_assert_int_eq(run(bad_port, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "sockets: port '70000' is not a number from 0 (any free "
                     "port) to 65535\n");
    char *not_here[] = {BUILD_DIR "/sockets", "192.0.2.1:0", NULL};
    ck_assert_int_eq(run(not_here, out, sizeof out, err, sizeof err), 1);
    ck_assert_str_eq(err, "sockets: cannot listen on 192.0.2.1:0: Cannot assign requested "
                     "address: HOST must be an address of this machine\n");
    char *two[] = {BUILD_DIR "/sockets", "1", "2", NULL};
    ck_assert_int_eq(run(two, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "usage: " BUILD_DIR "/sockets [HOST:]PORT   (default 127.0.0.1:7007; "
                     "PORT 0: any free port)\n");
}
END_TEST

START_TEST(server_says_when_its_port_is_in_use)
{
    struct sockaddr_in addr;
    ck_assert_int_eq(sockets_parse_address("0", &addr, "test", stderr), 0);
    int taken = sockets_listen(&addr, "test", stderr);
    char where[32], out[256], err[512], expect[512];
    sockets_format_address(&addr, where, sizeof where);
    char *argv[] = {BUILD_DIR "/sockets", where, NULL};
    ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 1);
    snprintf(expect, sizeof expect, "sockets: cannot listen on %s: Address already in use: "
             "another program listens there (ss -ltnp names it); stop it, or give another "
             "port, or 0 for any free one\n", where);
    ck_assert_str_eq(err, expect);
    ck_assert_str_eq(out, "");
    close(taken);
}
END_TEST

START_TEST(client_says_what_is_wrong_with_its_arguments)
{
    char out[256], err[512];
    char *bad_count[] = {BUILD_DIR "/sockets-client", "7007", "0", NULL};
    ck_assert_int_eq(run(bad_count, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "sockets-client: CLIENTS must be a whole number from 1 to 100000, "
                     "not '0'\n");
    char *bad_chunk[] = {BUILD_DIR "/sockets-client", "7007", "1", "10", "4k", NULL};
    ck_assert_int_eq(run(bad_chunk, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "sockets-client: CHUNK must be a whole number from 1 to 67108864, "
                     "not '4k'\n");
    char *bad_port[] = {BUILD_DIR "/sockets-client", "-1", NULL};
    ck_assert_int_eq(run(bad_port, out, sizeof out, err, sizeof err), 2);
    ck_assert_str_eq(err, "sockets-client: port '-1' is not a number from 0 (any "
                     "free port) to 65535\n");
}
END_TEST

/* Checks that err is the line of the first client that failed, with what and hint after the
   client's number, and then the count of the others. */
static void assert_first_failure_then_count(const char *err, const char *rest, size_t others)
{
    const char *start = "sockets-client: client ";
    ck_assert_msg(strncmp(err, start, strlen(start)) == 0, "%s", err);
    const char *after = err + strlen(start) + strspn(err + strlen(start), "0123456789");
    char expect[512];
    snprintf(expect, sizeof expect, "%s\nsockets-client: %zu more clients failed the same way\n",
             rest, others);
    ck_assert_str_eq(after, expect);
}

START_TEST(client_says_when_nobody_listens)
{
    int held = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);    /* a port nobody listens on */
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
    socklen_t len = sizeof a;
    ck_assert_int_eq(bind(held, (struct sockaddr *)&a, sizeof a), 0);
    ck_assert_int_eq(getsockname(held, (struct sockaddr *)&a, &len), 0);
    char port[16], out[256], err[1024], rest[256];
    snprintf(port, sizeof port, "%d", ntohs(a.sin_port));
    char *argv[] = {BUILD_DIR "/sockets-client", port, "100", NULL};
    ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 1);
    snprintf(rest, sizeof rest, ": byte 0: connect: Connection refused; nobody listens on "
             "127.0.0.1:%s (start build/sockets 127.0.0.1:%s)", port, port);
    assert_first_failure_then_count(err, rest, 99);
    ck_assert_str_eq(out, "");
    close(held);
}
END_TEST

static void limit_descriptors(void *numbers)
{
    struct rlimit lim = {0, 0};
    getrlimit(RLIMIT_NOFILE, &lim);
    lim.rlim_cur = *(rlim_t *)numbers;
    setrlimit(RLIMIT_NOFILE, &lim);
}

START_TEST(client_says_when_it_runs_out_of_descriptors)
{
    if (RUNNING_ON_VALGRIND) {      /* valgrind's own descriptor limit: see the EMFILE test */
        printf("test_sockets: the client's EMFILE not tested under valgrind\n");
        return;
    }
    struct server s = server_start(defaults, 0);
    char port[16], out[256], err[1024];
    snprintf(port, sizeof port, "%d", s.port);
    char *argv[] = {BUILD_DIR "/sockets-client", port, "100", "1000", NULL};
    rlim_t numbers = 32;        /* 3 standard, 2 epolls: room for 27 clients, not 100 */
    ck_assert_int_eq(run_captured(argv, limit_descriptors, &numbers, out, sizeof out,
                                  err, sizeof err), 1);
    const char *rest = ": byte 0: connect: Too many open files; one descriptor a client: "
                       "raise the limit (ulimit -n) or use fewer clients";
    const char *count = strstr(err, "\nsockets-client: ");
    ck_assert_msg(count, "%s", err);
    size_t others = 0;
    ck_assert_int_eq(sscanf(count, "\nsockets-client: %zu more", &others), 1);
    ck_assert_uint_ge(others, 100 - 27 - 1);
    assert_first_failure_then_count(err, rest, others);
    ck_assert_str_eq(out, "");
    server_stop(s);
}
END_TEST

START_TEST(client_says_when_it_cannot_start_for_descriptors)
{
    if (RUNNING_ON_VALGRIND) {      /* valgrind's own descriptor limit: see the EMFILE test */
        printf("test_sockets: the client's EMFILE at start not tested under valgrind\n");
        return;
    }
    char out[256], err[512];
    char *argv[] = {BUILD_DIR "/sockets-client", "7007", NULL};
    rlim_t numbers = 4;         /* the standard three and one epoll */
    ck_assert_int_eq(run_captured(argv, limit_descriptors, &numbers, out, sizeof out,
                                  err, sizeof err), 1);
    ck_assert_str_eq(err, "sockets-client: Too many open files; one descriptor a client: "
                     "raise the limit (ulimit -n) or use fewer clients\n");
}
END_TEST

/* The program as the README runs it: the line, an echo, SIGINT, the count. */
START_TEST(server_program_listens_echoes_and_stops_on_sigint)
{
    int po[2];
    ck_assert_int_eq(pipe2(po, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(po[1], 1);
        close_range(3, ~0u, 0);
        execl(BUILD_DIR "/sockets", BUILD_DIR "/sockets", "0", (char *)NULL);
        _exit(127);
    }
    close(po[1]);
    char text[256] = "";
    size_t n = read_first_line(po[0], text, sizeof text, 10);
    int port = 0;
    ck_assert_int_eq(sscanf(text, "listening on 127.0.0.1:%d\n", &port), 1);
    int fd = client_connect(port);
    echo_once(fd, "hello\n");
    close(fd);
    ck_assert_int_eq(kill(pid, SIGINT), 0);
    ssize_t got;
    while ((got = read(po[0], text + n, sizeof text - 1 - n)) > 0)
        n += (size_t)got;
    text[n] = '\0';
    close(po[0]);
    int status;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    char expect[128];
    snprintf(expect, sizeof expect, "listening on 127.0.0.1:%d\nserved 1 connections\n", port);
    ck_assert_str_eq(text, expect);
}
END_TEST

/* At ulimit -n 7 the program's own descriptors (0 to 2, the signalfd, the listener and two
   epolls) fill the table: the first accept finds EMFILE with no connection open to close
   (even with no client: accept4 takes a descriptor number before it looks at the queue). */
START_TEST(server_says_when_no_connection_can_free_a_descriptor)
{
    if (RUNNING_ON_VALGRIND) {      /* valgrind's own descriptor limit: see the EMFILE test */
        printf("test_sockets: the server's EMFILE at start not tested under valgrind\n");
        return;
    }
    char out[256], err[512], want[256];
    char *argv[] = {BUILD_DIR "/sockets", "0", NULL};
    rlim_t numbers = 7;
    ck_assert_int_eq(run_captured(argv, limit_descriptors, &numbers, out, sizeof out, err,
                                  sizeof err), 1);
    int port = 0;
    ck_assert_int_eq(sscanf(out, "listening on 127.0.0.1:%d\n", &port), 1);
    snprintf(want, sizeof want, "listening on 127.0.0.1:%d\nserved 0 connections\n", port);
    ck_assert_str_eq(out, want);
    ck_assert_str_eq(err, "sockets: Too many open files: no descriptor left, and no connection "
                     "open to free one; raise the limit (ulimit -n)\n");
}
END_TEST

/* /dev/full fails every write with ENOSPC, as a full disk does (run_captured.h). */
START_TEST(server_and_client_say_when_their_output_is_lost)
{
    char out[256], err[512];
    char *server[] = {BUILD_DIR "/sockets", "0", NULL};
    ck_assert_int_eq(run_captured(server, run_captured_stdout_full, NULL, out, sizeof out, err,
                                  sizeof err), 1);
    ck_assert_str_eq(err, "sockets: cannot write to standard output: No space left on device\n");
    struct server s = server_start(defaults, 0);
    char port[16];
    snprintf(port, sizeof port, "%d", s.port);
    char *client[] = {BUILD_DIR "/sockets-client", port, "1", "1000", NULL};
    ck_assert_int_eq(run_captured(client, run_captured_stdout_full, NULL, out, sizeof out, err,
                                  sizeof err), 1);
    ck_assert_str_eq(err, "sockets-client: cannot write to standard output: No space left on device\n");
    ck_assert_uint_eq(server_stop(s).stats.served, 1);
}
END_TEST

/* ---------- the read future's short-read rule ---------- */

/* After a read that came back short, the next read future registers without trying. Data
   that arrived meanwhile is not lost: the level-triggered reactor reports it at once. */
START_TEST(read_after_a_short_read_waits_before_it_tries)
{
    struct reactor *r = NULL;
    struct sockets_net net;
    int sv[2];
    ck_assert_int_eq(reactor_new(&r), 0);
    ck_assert_int_eq(sockets_net_init(&net, r), 0);
    ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv), 0);
    struct sockets_socket sock;
    sockets_socket_init(&sock, sv[0]);
    struct tally t;
    struct raw_waker w = tally_waker_new(&t);
    struct future_context cx = {&w};
    char buf[100];
    struct sockets_read f;
    ck_assert_int_eq(write(sv[1], "first", 5), 5);
    sockets_read_init(&f, &net, &sock, buf, sizeof buf);
    struct future_result res = future_poll(&f.base, &cx);
    ck_assert(res.status == FUTURE_READY && f.out.len == 5);        /* short: 5 of 100 */
    ck_assert_int_eq(write(sv[1], "second", 6), 6);                 /* there, but not tried */
    sockets_read_init(&f, &net, &sock, buf, sizeof buf);
    ck_assert(future_poll(&f.base, &cx).status == FUTURE_PENDING);
    ck_assert_int_eq(reactor_wait(r, 5000), 1);                     /* reported at once */
    ck_assert_int_eq(t.wakes, 1);
    res = future_poll(&f.base, &cx);
    ck_assert(res.status == FUTURE_READY && f.out.len == 6);
    ck_assert(memcmp(buf, "second", 6) == 0);
    sockets_socket_close(&sock, &net);
    close(sv[1]);
    sockets_net_close(&net);
    reactor_free(r);
    waker_drop(w);
    ck_assert_int_eq(t.refs, 0);
}
END_TEST

/* ---------- what back-pressure costs, counted with strace ---------- */

/* Starts the server program under strace, with an extra strace option (an -e inject=...) or
   NULL; returns strace's pid, the server's port and pid, and its standard output, to be
   closed after it exits (it prints when it stops). */
static pid_t traced_server(const char *trace, const char *option, int *port, pid_t *server,
                           int *output)
{
    char cwd[4096], program[4200];
    ck_assert_msg(access("/usr/bin/strace", X_OK) == 0,
                  "/usr/bin/strace is missing: run make -f build.mk deps (it installs strace)");
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    snprintf(program, sizeof program, "%s%s%s/sockets", BUILD_DIR[0] == '/' ? "" : cwd,
             BUILD_DIR[0] == '/' ? "" : "/", BUILD_DIR);
    int po[2];
    ck_assert_int_eq(pipe2(po, O_CLOEXEC), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(po[1], 1);
        setenv("ASAN_OPTIONS", "detect_leaks=0", 1);   /* LeakSanitizer cannot run traced */
        char *argv[9] = {"strace", "-o", (char *)trace, "-e",
                         "trace=epoll_create1,epoll_ctl,epoll_wait,sendto,accept4"};
        int n = 5;
        if (option)
            argv[n++] = (char *)option;
        argv[n++] = program;
        argv[n++] = "0";
        execv("/usr/bin/strace", argv);
        _exit(127);
    }
    close(po[1]);
    char text[128] = "";
    read_first_line(po[0], text, sizeof text, 20);
    *output = po[0];
    ck_assert_int_eq(sscanf(text, "listening on 127.0.0.1:%d", port), 1);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)pid, (int)pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fscanf(f, "%d", server), 1);
    fclose(f);
    return pid;
}

/* Whether the file at path has a line that starts with start and holds text. */
static bool trace_has(const char *path, const char *start, const char *text)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    bool found = false;
    while (f && !found && fgets(line, sizeof line, f))
        found = strncmp(line, start, strlen(start)) == 0 && strstr(line, text);
    if (f)
        fclose(f);
    return found;
}

/* A client that sends (up to 8 MB) and reads nothing makes the server wait to write.
   Each wait costs two system calls in the writers' epoll instance: one epoll_ctl that arms
   the socket (ADD the first time, MOD after), one epoll_wait that drains it. */
START_TEST(each_wait_to_write_costs_one_arm_and_one_drain)
{
    char dir[] = "/tmp/sockets-strace-XXXXXX", trace[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(trace, sizeof trace, "%s/trace", dir);
    int port, output;
    pid_t server, strace_pid = traced_server(trace, NULL, &port, &server, &output);
    int fd = client_connect_rcvbuf(port, 65536);
    enum { TOTAL = 8 << 20 };
    unsigned char *out = calloc(1, TOTAL), *in = malloc(TOTAL);
    size_t sent = 0, got = 0;
    ssize_t n;
    /* Send, and read nothing, until the trace shows the server's first send that met EAGAIN.
       It must come: the server reads all it can, and echoes more than its send buffer
       (tcp_wmem's largest, 4 MB here) and ours can hold. Reading earlier, on a timer, let a
       slow server never wait (seen on a busy machine). */
    double deadline = check_deadline_seconds(20);
    for (int tries = 0; !trace_has(trace, "sendto(", "EAGAIN"); tries++) {
        ck_assert_msg(tries < deadline * 10, "no send of the server met EAGAIN in %.0f s",
                      deadline);
        if (poll(&(struct pollfd){fd, POLLOUT, 0}, 1, 100) == 1 && sent < TOTAL &&
            (n = send(fd, out + sent, TOTAL - sent, MSG_NOSIGNAL)) > 0)
            sent += (size_t)n;
    }
    while (got < TOTAL) {
        struct pollfd p = {fd, (short)(POLLIN | (sent < TOTAL ? POLLOUT : 0)), 0};
        ck_assert_int_eq(poll(&p, 1, (int)(check_deadline_seconds(20) * 1000)), 1);
        if ((p.revents & POLLOUT) && (n = send(fd, out + sent, TOTAL - sent, MSG_NOSIGNAL)) > 0)
            sent += (size_t)n;
        if ((p.revents & POLLIN) && (n = recv(fd, in + got, TOTAL - got, 0)) > 0)
            got += (size_t)n;
    }
    close(fd);
    free(out);
    free(in);
    ck_assert_int_eq(kill(server, SIGTERM), 0);
    int status;
    ck_assert_int_eq(waitpid(strace_pid, &status, 0), strace_pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "strace status %#x", status);
    close(output);

    FILE *f = fopen(trace, "r");
    ck_assert_ptr_nonnull(f);
    char line[1024];
    int epolls[2] = {-1, -1}, created = 0, waits = 0, arms = 0, drains = 0, out_in_core = 0;
    while (fgets(line, sizeof line, f)) {
        int epfd = -1;
        char op[4] = "";
        const char *result = strrchr(line, '=');      /* strace pads before " = N" */
        if (strncmp(line, "epoll_create1(", 14) == 0 && result && created < 2)
            epolls[created++] = atoi(result + 1);
        else if (strncmp(line, "sendto(", 7) == 0 && strstr(line, "EAGAIN"))
            waits++;
        else if (sscanf(line, "epoll_ctl(%d, EPOLL_CTL_%3s", &epfd, op) == 2) {
            arms += epfd == epolls[1] && strcmp(op, "DEL") != 0;
            out_in_core += epfd == epolls[0] && strstr(line, "EPOLLOUT") != NULL;
        } else if (sscanf(line, "epoll_wait(%d,", &epfd) == 1)
            drains += epfd == epolls[1];
    }
    fclose(f);
    if (!getenv("SOCKETS_KEEP_TRACE")) {
        unlink(trace);
        rmdir(dir);
    }
    ck_assert_int_eq(created, 2);
    ck_assert_int_ge(waits, 1);
    ck_assert_int_eq(arms, waits);          /* one EPOLL_CTL_ADD or _MOD per wait */
    ck_assert_int_eq(drains, waits);        /* one epoll_wait on the writers' instance */
    ck_assert_int_eq(out_in_core, 0);       /* the core reactor never waits for EPOLLOUT */
}
END_TEST

/* accept(2) lists errors that belong to the connection, not the listener: the connection is
   gone, and the server must take the next one (review finding E1: it used to stop). strace
   makes the first two accept4 calls fail with each error, without running them; whether a
   client waits at that moment or not, the server must then serve clients as before. */
START_TEST(accept_errors_of_a_lost_connection_leave_the_server_serving)
{
    const char *errors[] = {"ECONNABORTED", "ENETUNREACH"};
    for (int e = 0; e < 2; e++) {
        char dir[] = "/tmp/sockets-inject-XXXXXX", trace[128], option[64];
        ck_assert_ptr_nonnull(mkdtemp(dir));
        snprintf(trace, sizeof trace, "%s/trace", dir);
        snprintf(option, sizeof option, "--inject=accept4:error=%s:when=1..2", errors[e]);
        int port, output;
        pid_t server, strace_pid = traced_server(trace, option, &port, &server, &output);
        for (int client = 0; client < 2; client++) {
            int fd = client_connect(port);
            echo_once(fd, "still serving\n");
            close(fd);
        }
        ck_assert_int_eq(kill(server, SIGTERM), 0);
        char text[256] = "";
        size_t n = 0;
        ssize_t got;
        while ((got = read(output, text + n, sizeof text - 1 - n)) > 0)
            n += (size_t)got;
        close(output);
        int status;
        ck_assert_int_eq(waitpid(strace_pid, &status, 0), strace_pid);
        ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "strace status %#x", status);
        ck_assert_msg(strstr(text, "served 2 connections\n"), "%s: %s", errors[e], text);
        FILE *f = fopen(trace, "r");
        ck_assert_ptr_nonnull(f);
        char line[1024], want[64];
        snprintf(want, sizeof want, "= -1 %s", errors[e]);
        int injected = 0;
        while (fgets(line, sizeof line, f))
            injected += strncmp(line, "accept4(", 8) == 0 && strstr(line, want) &&
                        strstr(line, "(INJECTED)");
        fclose(f);
        ck_assert_msg(injected == 2, "%s: %d accept4 calls failed, not 2", errors[e], injected);
        unlink(trace);
        rmdir(dir);
    }
}
END_TEST

/* ---------- the pitfalls, as the chapter runs them ---------- */

START_TEST(pitfall_send_without_msg_nosignal_dies_of_sigpipe)
{
    char out[256], err[256];
    char *without[] = {BUILD_DIR "/sockets-sigpipe", NULL};
    ck_assert_int_eq(run(without, out, sizeof out, err, sizeof err), 128 + SIGPIPE);
    ck_assert_str_eq(out, "send 1: 1 byte\nsend 2: ");
    char *with[] = {BUILD_DIR "/sockets-sigpipe", "nosignal", NULL};
    ck_assert_int_eq(run(with, out, sizeof out, err, sizeof err), 0);
    ck_assert_str_eq(out, "send 1: 1 byte\nsend 2: Broken pipe\nsend 3: Broken pipe\n");
}
END_TEST

START_TEST(pitfall_unbounded_queue_holds_megabytes)
{
    char out[512], err[256];
    char *argv[] = {BUILD_DIR "/sockets-unbounded", NULL};
    ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 0);
    unsigned long held;
    long before, after;
    ck_assert_int_eq(sscanf(out, "the client sent 8 MB and read nothing; the connection held up "
                            "to %lu bytes; VmRSS %ld kB before, %ld kB at the end", &held,
                            &before, &after), 3);
    ck_assert_uint_gt(held, 1 << 20);               /* the echo server: at most 16,384 */
    ck_assert_int_gt(after - before, 1024);
}
END_TEST

START_TEST(pitfall_listener_spins_under_emfile)
{
    if (RUNNING_ON_VALGRIND) {      /* valgrind's own descriptor limit: see the EMFILE test */
        printf("test_sockets: the spin not tested under valgrind\n");
        return;
    }
    char out[512], err[256];
    char *argv[] = {BUILD_DIR "/sockets-spin", NULL};
    ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 0);
    const char *expect = "epoll_wait reported the listener 1000 times in 1000 waits; accept4 "
                         "failed 1000 times: Too many open files\nthe 1000 waits, each allowed "
                         "to sleep 1 s, took ";
    ck_assert_msg(strncmp(out, expect, strlen(expect)) == 0, "%s", out);
}
END_TEST

/* Times are printed, never asserted; the budget's bound on a turn is. */
START_TEST(pitfall_flood_budget_bounds_a_turn)
{
    char out[1024], err[256];
    char *argv[] = {BUILD_DIR "/sockets-flood", NULL};
    ck_assert_int_eq(run(argv, out, sizeof out, err, sizeof err), 0);
    unsigned long turn16 = 0, turn0 = 0;
    const char *at16 = strstr(out, "budget 16: the longest turn of a connection echoed ");
    const char *at0 = strstr(out, "budget  0: the longest turn of a connection echoed ");
    ck_assert_msg(at16 && at0, "%s", out);
    ck_assert_int_eq(sscanf(at16 + 51, "%lu", &turn16), 1);
    ck_assert_int_eq(sscanf(at0 + 51, "%lu", &turn0), 1);
    ck_assert_uint_le(turn16, 16);
    ck_assert_uint_ge(turn0, 1);
    ck_assert_ptr_nonnull(strstr(out, "budget 16: 200 round trips of 64 bytes beside a flood: "));
    ck_assert_ptr_nonnull(strstr(out, "budget  0: 200 round trips of 64 bytes beside a flood: "));
}
END_TEST

Suite *sockets_suite(void)
{
    Suite *s = suite_create("sockets");
    struct { const char *name; const TTest *test; double timeout; } cases[] = {
        {"many", thousand_clients_64k_each_echoed_exactly, 60},
        {"backpressure", client_that_does_not_read_is_held_back_not_buffered, 30},
        {"half_close", half_close_gets_everything_back_then_end_of_stream, 20},
        {"gone", client_gone_mid_write_leaves_the_server_serving, 20},
        {"reset", reset_by_peer_leaves_the_server_serving, 20},
        {"stop", stop_ends_live_connections_and_leaves_no_descriptor, 20},
        {"emfile", accept_waits_out_emfile_and_serves_the_others, 20},
        {"client_check", client_names_the_client_and_byte_that_came_back_wrong, 20},
        {"client_report", client_prints_its_one_line_report, 20},
        {"server_address", server_says_what_is_wrong_with_its_address, 20},
        {"server_in_use", server_says_when_its_port_is_in_use, 20},
        {"client_args", client_says_what_is_wrong_with_its_arguments, 20},
        {"client_refused", client_says_when_nobody_listens, 20},
        {"client_emfile", client_says_when_it_runs_out_of_descriptors, 20},
        {"client_emfile_start", client_says_when_it_cannot_start_for_descriptors, 20},
        {"server_program", server_program_listens_echoes_and_stops_on_sigint, 20},
        {"server_emfile_alone", server_says_when_no_connection_can_free_a_descriptor, 20},
        {"output_lost", server_and_client_say_when_their_output_is_lost, 20},
        {"short_read", read_after_a_short_read_waits_before_it_tries, 20},
        {"strace_backpressure", each_wait_to_write_costs_one_arm_and_one_drain, 60},
        {"accept_errors", accept_errors_of_a_lost_connection_leave_the_server_serving, 30},
        {"pitfall_sigpipe", pitfall_send_without_msg_nosignal_dies_of_sigpipe, 20},
        {"pitfall_unbounded", pitfall_unbounded_queue_holds_megabytes, 30},
        {"pitfall_spin", pitfall_listener_spins_under_emfile, 20},
        {"pitfall_flood", pitfall_flood_budget_bounds_a_turn, 60},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        tcase_set_timeout(tc, cases[i].timeout);
        tcase_add_test(tc, cases[i].test);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    return run_suite(sockets_suite());
}
