// libzmq 4.3 from Debian's libzmq3-dev.
#include <zmq.h>
