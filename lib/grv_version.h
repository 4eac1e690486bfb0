/* grv_version.h: the version that --version prints. */
#ifndef GRV_VERSION_H
#define GRV_VERSION_H

#define GRV_VERSION "0.1.0"

#endif
