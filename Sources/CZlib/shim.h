// zlib from Debian's zlib1g-dev (gzip inflate for the bundled dataset and MNIST .gz files).
#include <zlib.h>
