//! Hyper's client on an OS thread: the async models' HTTP/1 client code ([`HyperClient`],
//! request building, parsing, timeout, one connection per unit) driven on the calling thread
//! by the smallest executor that can run it, so that `threads:hyper` and `tokio` differ in the
//! concurrency primitive and not in the client.
//!
//! The executor is [`block_on`]: it polls the request and the thread's own tasks (hyper's
//! connection driver), and when nothing can progress it waits in `poll(2)` on the sockets
//! that said "would block", until the earliest timer. So each thread blocks in the kernel on
//! its own socket, exactly as a blocking client does, with no reactor thread, no runtime and
//! no file descriptor beside the socket. What it costs over the blocking client is a poll per
//! wait and re-polling the futures after it; `sequential:hyper` against
//! `tokio:current-thread` (the same client, one request at a time) measures it.
//!
//! [`HyperClient`]: crate::HyperClient

use crate::tls::Tls;
use crate::{AsyncNet, FuturesIo, FuturesTlsStream};
use futures_lite::io::{AsyncRead, AsyncWrite};
use std::cell::RefCell;
use std::future::Future;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

type Task = Pin<Box<dyn Future<Output = ()>>>;

/// What the futures of this thread asked for while being polled: the sockets to wait on,
/// the earliest timer, and the tasks they spawned.
#[derive(Default)]
struct Local {
    interest: Vec<libc::pollfd>,
    deadline: Option<Instant>,
    spawned: Vec<Task>,
    /// Tasks alive between two `block_on` calls (a kept-alive connection's driver).
    tasks: Vec<Task>,
}

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
    /// One waker per thread: hyper keeps the waker it was polled with across requests, so a
    /// wake must reach whichever `block_on` runs next on this thread.
    static FLAG: Arc<Flag> = Arc::new(Flag(AtomicBool::new(false)));
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
}

fn wait_for(fd: RawFd, events: libc::c_short) {
    LOCAL.with(|l| {
        l.borrow_mut().interest.push(libc::pollfd {
            fd,
            events,
            revents: 0,
        })
    });
}

/// Runs `future` to completion on this thread, with the thread's spawned tasks beside it.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let flag = FLAG.with(Arc::clone);
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    let mut fds: Vec<libc::pollfd> = Vec::new();
    loop {
        flag.0.store(false, Ordering::Release);
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            l.interest.clear();
            l.deadline = None;
        });
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        // The tasks, those just spawned included; a task spawned while they are polled is
        // kept for the next round, which comes at once.
        let mut tasks = LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            let mut tasks = std::mem::take(&mut l.tasks);
            tasks.append(&mut l.spawned);
            tasks
        });
        tasks.retain_mut(|t| t.as_mut().poll(&mut cx).is_pending());
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            if !l.spawned.is_empty() {
                flag.0.store(true, Ordering::Release);
            }
            let spawned = std::mem::take(&mut l.spawned);
            l.tasks = tasks;
            l.tasks.extend(spawned);
        });
        if flag.0.load(Ordering::Acquire) {
            continue; // something became ready without waiting
        }
        // The sockets to wait on, copied into a buffer kept across rounds (no allocation
        // per wait on the request path).
        let deadline = LOCAL.with(|l| {
            let l = l.borrow();
            fds.clear();
            fds.extend_from_slice(&l.interest);
            l.deadline
        });
        let timeout = match deadline {
            Some(d) => {
                let left = d.saturating_duration_since(Instant::now());
                // Round up, so a timer is never polled just before it is due.
                i32::try_from(left.as_micros().div_ceil(1000)).unwrap_or(i32::MAX)
            }
            // Nothing to wait on and no timer: nothing can wake us; look again shortly.
            None if fds.is_empty() => 1,
            None => -1,
        };
        // SAFETY: poll reads and writes only the array we own, of the length we pass.
        unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, timeout) };
    }
}

/// A non-blocking TCP stream whose "would block" registers the socket with this thread's
/// [`block_on`].
pub struct ThreadStream(TcpStream);

impl AsyncRead for ThreadStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match self.0.read(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                wait_for(self.0.as_raw_fd(), libc::POLLIN);
                Poll::Pending
            }
            other => Poll::Ready(other),
        }
    }
}

impl AsyncWrite for ThreadStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.0.write(buf) {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                wait_for(self.0.as_raw_fd(), libc::POLLOUT);
                Poll::Pending
            }
            other => Poll::Ready(other),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_close(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(self.0.shutdown(std::net::Shutdown::Write))
    }
}

/// Connects without blocking the thread past the request's timer: the socket is
/// non-blocking from the start, and the connect completes when it becomes writable.
async fn connect(addr: SocketAddr) -> io::Result<ThreadStream> {
    let domain = socket2::Domain::for_address(addr);
    let socket = socket2::Socket::new(domain, socket2::Type::STREAM, Some(socket2::Protocol::TCP))?;
    socket.set_nonblocking(true)?;
    socket.set_nodelay(true)?;
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => {
            Writable(socket.as_raw_fd()).await;
            if let Some(e) = socket.take_error()? {
                return Err(e);
            }
        }
        Err(e) => return Err(e),
    }
    Ok(ThreadStream(socket.into()))
}

/// Ready once the socket is writable (its connect finished, one way or the other).
struct Writable(RawFd);

impl Future for Writable {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        let mut fd = libc::pollfd {
            fd: self.0,
            events: libc::POLLOUT,
            revents: 0,
        };
        // SAFETY: a zero-timeout poll of one descriptor we own.
        let ready = unsafe { libc::poll(&mut fd, 1, 0) } > 0;
        if ready {
            Poll::Ready(())
        } else {
            wait_for(self.0, libc::POLLOUT);
            Poll::Pending
        }
    }
}

/// A timer this thread's [`block_on`] waits for.
struct Sleep(Instant);

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.0 {
            return Poll::Ready(());
        }
        let at = self.0;
        LOCAL.with(|l| {
            let mut l = l.borrow_mut();
            l.deadline = Some(l.deadline.map_or(at, |d| d.min(at)));
        });
        Poll::Pending
    }
}

/// The calling OS thread as hyper's "runtime": its sockets, its timers, its tasks.
pub struct ThreadNet;

impl AsyncNet for ThreadNet {
    type Stream = FuturesIo<ThreadStream>;
    type TlsStream = FuturesIo<FuturesTlsStream<ThreadStream>>;

    async fn connect(addr: SocketAddr) -> io::Result<Self::Stream> {
        Ok(FuturesIo(connect(addr).await?))
    }

    async fn connect_tls(addr: SocketAddr, tls: &Tls) -> io::Result<Self::TlsStream> {
        let tcp = connect(addr).await?;
        Ok(FuturesIo(tls.connect(tcp).await?))
    }

    /// Runs on this thread, beside the request, whenever [`block_on`] runs here.
    fn spawn(task: impl Future<Output = ()> + Send + 'static) {
        LOCAL.with(|l| l.borrow_mut().spawned.push(Box::pin(task)));
    }

    async fn sleep(duration: Duration) {
        Sleep(Instant::now() + duration).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_and_spawned_tasks_run_on_the_calling_thread() {
        let t = Instant::now();
        block_on(ThreadNet::sleep(Duration::from_millis(20)));
        assert!(t.elapsed() >= Duration::from_millis(20));

        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::current().id();
        ThreadNet::spawn(async move {
            let _ = tx.send(std::thread::current().id());
        });
        block_on(ThreadNet::sleep(Duration::from_millis(1)));
        assert_eq!(rx.try_recv().ok(), Some(thread));
    }

    #[test]
    fn a_refused_connect_is_an_error_not_a_hang() {
        let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = free.local_addr().unwrap();
        drop(free);
        let e = block_on(connect(addr)).err().expect("nothing listens");
        assert_eq!(e.kind(), io::ErrorKind::ConnectionRefused);
    }
}
