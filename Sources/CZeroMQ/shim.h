// libzmq 4.3 from Debian's libzmq3-dev.
#include <zmq.h>
// eventfd(2), for WakeUpSignal (a doorbell a zmq_poll loop can wait on).
#include <sys/eventfd.h>
