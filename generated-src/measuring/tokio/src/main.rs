//! The measuring chapter's three workloads on Tokio's current-thread runtime. One binary,
//! called by three names (measuring-pingpong-tokio, -fanin-tokio, -tasks-tokio); it uses the
//! chapter's C harnesses through their C interface, so the work and its checks are the same.
use std::ffi::CString;
use std::os::raw::{c_char, c_int, c_long};
use std::future::Future;
use std::os::unix::io::{AsRawFd, RawFd};
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::{unix::AsyncFd, Interest};

type Timespec = [i64; 2];

#[repr(C)]
struct PingPongEnd { left: c_long, got: c_long }
#[repr(C)]
struct PingPong {
    name: *const c_char, pairs: c_long, trips: c_long, size: c_long,
    fds: *mut [c_int; 2], ends: *mut PingPongEnd, ends_done: c_long, echoed: c_long,
    start: Timespec,
}
#[repr(C)]
struct FanIn {
    name: *const c_char, readers: c_long, done: c_long, prefilled: c_int,
    fds: *mut c_int, left: *mut c_int, writer_socket: c_int, writer: c_int, start: Timespec,
}
#[repr(C)]
struct Tasks {
    name: *const c_char, tasks: c_long, polls: c_long, finished: c_long, start: Timespec,
}

const PINGPONG_READ: c_long = 2048;

#[link(name = "measuring", kind = "static")]
extern "C" {
    fn pingpong_open(pp: *mut PingPong, argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn pingpong_start(pp: *mut PingPong);
    fn pingpong_step(pp: *mut PingPong, end: c_long) -> c_long;
    fn pingpong_finish(pp: *mut PingPong) -> c_int;
    fn pingpong_close(pp: *mut PingPong);
    fn fanin_open(fi: *mut FanIn, argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn fanin_start(fi: *mut FanIn);
    fn fanin_read(fi: *mut FanIn, i: c_long) -> c_long;
    fn fanin_finish(fi: *mut FanIn) -> c_int;
    fn fanin_close(fi: *mut FanIn);
    fn tasks_open(t: *mut Tasks, argc: c_int, argv: *mut *mut c_char) -> c_int;
    fn tasks_finish(t: *mut Tasks) -> c_int;
}

/// A harness shared by every task. The runtime is single-threaded, so no two tasks ever
/// touch it at once; Send is claimed only because tokio::spawn asks for it.
struct Shared<T>(*mut T);
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self { *self }
}
impl<T> Copy for Shared<T> {}
unsafe impl<T> Send for Shared<T> {}
impl<T> Shared<T> {
    fn get(self) -> *mut T { self.0 }
}

struct Fd(RawFd);
impl AsRawFd for Fd {
    fn as_raw_fd(&self) -> RawFd { self.0 }
}

/// Waits until fd is readable and calls step, which answers (done, drained), until done. A
/// drained descriptor (a short read, or EAGAIN) clears the readiness Tokio keeps for it, so
/// the next wait sleeps until the next event; otherwise the next wait returns at once.
async fn serve(fd: RawFd, mut step: impl FnMut() -> (bool, bool)) {
    let fd = AsyncFd::with_interest(Fd(fd), Interest::READABLE).expect("AsyncFd");
    loop {
        let mut guard = fd.readable().await.expect("readable");
        let (done, drained) = step();
        if done {
            return;
        }
        if drained {
            guard.clear_ready();
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_io().build().expect("runtime")
}

fn pingpong(argc: c_int, argv: *mut *mut c_char) -> c_int {
    let mut pp: PingPong = unsafe { std::mem::zeroed() };
    if unsafe { pingpong_open(&mut pp, argc, argv) } < 0 { return 2; }
    let shared = Shared(&mut pp as *mut PingPong);
    let rt = runtime();
    let (pairs, fds) = (pp.pairs, pp.fds);
    rt.block_on(async move {
        let mut handles = Vec::new();
        for end in 0..2 * pairs {
            let fd = unsafe { (*fds.add((end / 2) as usize))[(end % 2) as usize] };
            handles.push(tokio::spawn(async move {
                let s = shared;
                serve(fd, move || unsafe {
                    let got = pingpong_step(s.get(), end);
                    ((*(*s.get()).ends.add(end as usize)).left == 0, got < PINGPONG_READ)
                }).await
            }));
        }
        unsafe { pingpong_start(shared.0) };
        for h in handles { h.await.expect("task"); }
    });
    let status = unsafe { pingpong_finish(&mut pp) };
    drop(rt);
    unsafe { pingpong_close(&mut pp) };
    status
}

fn fanin(argc: c_int, argv: *mut *mut c_char) -> c_int {
    let mut fi: FanIn = unsafe { std::mem::zeroed() };
    if unsafe { fanin_open(&mut fi, argc, argv) } < 0 { return 2; }
    let shared = Shared(&mut fi as *mut FanIn);
    let rt = runtime();
    let (readers, fds) = (fi.readers, fi.fds);
    rt.block_on(async move {
        let mut handles = Vec::with_capacity(readers as usize);
        for i in 0..readers {
            let fd = unsafe { *fds.add(i as usize) };
            handles.push(tokio::spawn(async move {
                let s = shared;
                serve(fd, move || unsafe {
                    fanin_read(s.get(), i);     // reads all that is left: short unless done
                    (*(*s.get()).left.add(i as usize) == 0, true)
                }).await
            }));
        }
        unsafe { fanin_start(shared.0) };
        for h in handles { h.await.expect("task"); }
    });
    let status = unsafe { fanin_finish(&mut fi) };
    drop(rt);
    unsafe { fanin_close(&mut fi) };
    status
}

/// Polled the first time, wakes its own task and waits; polled again, finishes.
struct WakeOnce { tasks: Shared<Tasks>, polled: bool }
impl Future for WakeOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let t = unsafe { &mut *self.tasks.0 };
        t.polls += 1;
        if self.polled {
            t.finished += 1;
            return Poll::Ready(());
        }
        self.polled = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn tasks(argc: c_int, argv: *mut *mut c_char) -> c_int {
    let mut t: Tasks = unsafe { std::mem::zeroed() };
    if unsafe { tasks_open(&mut t, argc, argv) } < 0 { return 2; }
    let shared = Shared(&mut t as *mut Tasks);
    let rt = runtime();
    let n = t.tasks;
    rt.block_on(async move {
        for _ in 0..n {
            drop(tokio::spawn(WakeOnce { tasks: shared, polled: false }));  // detached
        }
        // the tasks run between the polls of this loop
        while unsafe { (*shared.get()).finished } < n {
            tokio::task::yield_now().await;
        }
    });
    drop(rt);
    unsafe { tasks_finish(&mut t) }
}

fn main() {
    let args: Vec<CString> = std::env::args().map(|a| CString::new(a).unwrap()).collect();
    let mut argv: Vec<*mut c_char> = args.iter().map(|a| a.as_ptr() as *mut c_char).collect();
    argv.push(std::ptr::null_mut());
    let argc = args.len() as c_int;
    let name = args.first().map(|a| a.to_string_lossy().into_owned()).unwrap_or_default();
    let status = if name.contains("pingpong") {
        pingpong(argc, argv.as_mut_ptr())
    } else if name.contains("fanin") {
        fanin(argc, argv.as_mut_ptr())
    } else if name.contains("tasks") {
        tasks(argc, argv.as_mut_ptr())
    } else {
        eprintln!("{}: run me as measuring-pingpong-tokio, measuring-fanin-tokio or \
                   measuring-tasks-tokio (a link to this program)", name);
        2
    };
    std::process::exit(status);
}
