/*
 * osu.c - jmpi's own OSU-style MPI micro-benchmarks in one C program (reference numbers for the
 * Java suite, which prints the same format so a script can compare the two).
 *
 *   osu TEST [-m MIN:MAX] [-i ITERS] [-x WARMUP] [-t SECONDS] [-s NAME]
 *   TEST: latency bw bibw barrier bcast reduce allreduce allgather alltoall put_latency get_latency
 *
 * Measurement rules (the Java suite follows the same ones):
 *  - sizes: MIN, 2*MIN, ... <= MAX bytes (default 1:4194304). reduce/allreduce use MPI_FLOAT with
 *    MPI_SUM, so their sizes start at 4 bytes. barrier prints one row with size 0.
 *  - latency: ranks 0 and 1 ping-pong; a sample is one round trip on rank 0, halved (one-way us).
 *  - bw: rank 0 posts a window of 64 MPI_Isend, rank 1 64 MPI_Irecv (all into one buffer); both
 *    wait; rank 1 replies with a 4-byte ack. bibw: both ranks post 64 Irecv + 64 Isend at once and
 *    wait, with no ack (as OSU's osu_bibw). MB/s = bytes moved / time / 1e6 (bibw counts both
 *    directions); p50/p99/max are of one window's time on rank 0, in us.
 *  - collectives: each iteration times one operation, followed by an untimed MPI_Barrier (except
 *    the barrier test itself). value = mean over ranks of each rank's average us per operation
 *    (OSU's "Avg Latency"); p50/p99/max come from rank 0's per-iteration samples.
 *  - put_latency/get_latency (osu_put_latency/osu_get_latency, flush variant): a window of MPI_Win_allocate;
 *    rank 0 locks rank 1 (MPI_LOCK_SHARED) once, then a sample is one MPI_Put (MPI_Get) of SIZE bytes
 *    followed by MPI_Win_flush(1); rank 1 takes no part (it waits in the next barrier). Not halved.
 *  - percentiles: nearest rank over the sorted samples x[0..n-1]: pQ = x[ceil(Q*n)-1].
 *  - iterations: -i (default 1000 for sizes <= 64 KiB and 100 above; bw/bibw 100 and 20), after -x
 *    warm-up iterations (default 100, or 10 above 64 KiB). -t S instead picks, per size, the
 *    number of iterations that takes about S seconds, from the warm-up's pace measured on rank 0
 *    (at least 1; at most -i when -i is also given).
 *
 * Output: '#' comment lines, the first "# jmpi-osu TEST system=NAME np=N", then one row per size:
 *   latency-type tests: "size avg_us p50_us p99_us max_us"; bw/bibw: "size MB/s p50_us p99_us max_us".
 */
#include <math.h>
#include <mpi.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 64
#define LARGE 65536L
#define MAX_ITERS 10000000L

enum kind { P2P_LAT, P2P_BW, COLL, RMA_LAT };

struct test {
  const char *name;
  enum kind kind;
  int elem; /* element size in bytes: sizes below it are skipped */
};

static const struct test TESTS[] = {
    {"latency", P2P_LAT, 1},  {"bw", P2P_BW, 1},        {"bibw", P2P_BW, 1},
    {"barrier", COLL, 1},     {"bcast", COLL, 1},       {"reduce", COLL, 4},
    {"allreduce", COLL, 4},   {"allgather", COLL, 1},   {"alltoall", COLL, 1},
    {"put_latency", RMA_LAT, 1}, {"get_latency", RMA_LAT, 1},
};

struct opts {
  const struct test *test;
  long min, max;
  long iters;  /* -1: default */
  long warmup; /* -1: default */
  double budget; /* seconds per size, 0: off */
  const char *system;
};

static int rank, np;
static char *sbuf, *rbuf;
static double *samples;
static MPI_Win win = MPI_WIN_NULL;

static void usage(void) {
  if (rank == 0)
    fprintf(stderr,
            "usage: osu TEST [-m MIN:MAX] [-i ITERS] [-x WARMUP] [-t SECONDS] [-s NAME]\n"
            "  TEST: latency bw bibw barrier bcast reduce allreduce allgather alltoall"
            " put_latency get_latency\n"
            "  -m MIN:MAX  message sizes in bytes, doubling (default 1:4194304)\n"
            "  -i ITERS    timed iterations per size (default 1000, 100 above 64 KiB;"
            " bw/bibw 100, 20)\n"
            "  -x WARMUP   untimed iterations per size (default 100, 10 above 64 KiB)\n"
            "  -t SECONDS  time budget per size; calibrates the iteration count\n"
            "  -s NAME     system name printed in the header (default mpi)\n");
}

static int parse_long(const char *s, long *out) {
  char *end;
  long v = strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < 0) return -1;
  *out = v;
  return 0;
}

static int parse(int argc, char **argv, struct opts *o) {
  o->test = NULL;
  o->min = 1;
  o->max = 4L << 20;
  o->iters = -1;
  o->warmup = -1;
  o->budget = 0;
  o->system = "mpi";
  if (argc < 2) return -1;
  for (size_t k = 0; k < sizeof TESTS / sizeof TESTS[0]; k++)
    if (strcmp(argv[1], TESTS[k].name) == 0) o->test = &TESTS[k];
  if (o->test == NULL) {
    if (rank == 0) fprintf(stderr, "osu: unknown test '%s'\n", argv[1]);
    return -1;
  }
  for (int a = 2; a < argc; a++) {
    const char *opt = argv[a], *val = a + 1 < argc ? argv[a + 1] : NULL;
    if (val == NULL || opt[0] != '-' || opt[1] == '\0' || opt[2] != '\0') {
      if (rank == 0) fprintf(stderr, "osu: bad argument '%s'\n", opt);
      return -1;
    }
    a++;
    int bad = 0;
    switch (opt[1]) {
    case 'm': {
      char buf[64], *colon;
      snprintf(buf, sizeof buf, "%s", val);
      colon = strchr(buf, ':');
      if (colon == NULL) {
        bad = parse_long(buf, &o->max);
      } else {
        *colon = '\0';
        bad = parse_long(buf, &o->min) || parse_long(colon + 1, &o->max);
      }
      bad = bad || o->min > o->max || o->max > (1L << 30);
      break;
    }
    case 'i': bad = parse_long(val, &o->iters) || o->iters < 1 || o->iters > MAX_ITERS; break;
    case 'x': bad = parse_long(val, &o->warmup); break;
    case 't': {
      char *end;
      o->budget = strtod(val, &end);
      bad = end == val || *end != '\0' || !(o->budget > 0) || o->budget > 3600;
      break;
    }
    case 's': o->system = val; break;
    default:
      if (rank == 0) fprintf(stderr, "osu: unknown option '%s'\n", opt);
      return -1;
    }
    if (bad) {
      if (rank == 0) fprintf(stderr, "osu: bad value '%s' for %s\n", val, opt);
      return -1;
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- one iteration of each test */

/* Runs one iteration of TEST at SIZE bytes; returns its duration in seconds on this rank
 * (for latency: the round trip, on rank 0). */
static double run_once(const struct test *t, long size) {
  MPI_Request req[2 * WINDOW];
  double t0 = MPI_Wtime();
  const char *n = t->name;
  int count = (int)size;
  if (t->kind == P2P_LAT) {
    if (rank == 0) {
      MPI_Send(sbuf, count, MPI_BYTE, 1, 1, MPI_COMM_WORLD);
      MPI_Recv(rbuf, count, MPI_BYTE, 1, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      MPI_Recv(rbuf, count, MPI_BYTE, 0, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
      MPI_Send(sbuf, count, MPI_BYTE, 0, 1, MPI_COMM_WORLD);
    }
  } else if (strcmp(n, "bw") == 0) {
    if (rank == 0) {
      for (int w = 0; w < WINDOW; w++)
        MPI_Isend(sbuf, count, MPI_BYTE, 1, 2, MPI_COMM_WORLD, &req[w]);
      MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
      MPI_Recv(rbuf, 4, MPI_BYTE, 1, 3, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    } else if (rank == 1) {
      for (int w = 0; w < WINDOW; w++)
        MPI_Irecv(rbuf, count, MPI_BYTE, 0, 2, MPI_COMM_WORLD, &req[w]);
      MPI_Waitall(WINDOW, req, MPI_STATUSES_IGNORE);
      MPI_Send(sbuf, 4, MPI_BYTE, 0, 3, MPI_COMM_WORLD);
    }
  } else if (strcmp(n, "bibw") == 0) {
    if (rank < 2) {
      int peer = 1 - rank;
      for (int w = 0; w < WINDOW; w++)
        MPI_Irecv(rbuf, count, MPI_BYTE, peer, 2, MPI_COMM_WORLD, &req[w]);
      for (int w = 0; w < WINDOW; w++)
        MPI_Isend(sbuf, count, MPI_BYTE, peer, 2, MPI_COMM_WORLD, &req[WINDOW + w]);
      /* No acknowledgement: OSU's osu_bibw has none (each side's own receives end its window). */
      MPI_Waitall(2 * WINDOW, req, MPI_STATUSES_IGNORE);
    }
  } else if (t->kind == RMA_LAT) {
    if (rank == 0) {
      if (strcmp(n, "put_latency") == 0)
        MPI_Put(sbuf, count, MPI_BYTE, 1, 0, count, MPI_BYTE, win);
      else
        MPI_Get(rbuf, count, MPI_BYTE, 1, 0, count, MPI_BYTE, win);
      MPI_Win_flush(1, win);
    }
  } else if (strcmp(n, "barrier") == 0) {
    MPI_Barrier(MPI_COMM_WORLD);
  } else if (strcmp(n, "bcast") == 0) {
    MPI_Bcast(sbuf, count, MPI_BYTE, 0, MPI_COMM_WORLD);
  } else if (strcmp(n, "reduce") == 0) {
    MPI_Reduce(sbuf, rbuf, count / 4, MPI_FLOAT, MPI_SUM, 0, MPI_COMM_WORLD);
  } else if (strcmp(n, "allreduce") == 0) {
    MPI_Allreduce(sbuf, rbuf, count / 4, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
  } else if (strcmp(n, "allgather") == 0) {
    MPI_Allgather(sbuf, count, MPI_BYTE, rbuf, count, MPI_BYTE, MPI_COMM_WORLD);
  } else if (strcmp(n, "alltoall") == 0) {
    MPI_Alltoall(sbuf, count, MPI_BYTE, rbuf, count, MPI_BYTE, MPI_COMM_WORLD);
  }
  double dt = MPI_Wtime() - t0;
  /* Untimed sync so collective iterations do not pipeline into each other. */
  if (t->kind == COLL && strcmp(n, "barrier") != 0) MPI_Barrier(MPI_COMM_WORLD);
  return dt;
}

/* ---------------------------------------------------------------------------------- helpers */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted x[0..n-1]. */
static double pct(const double *x, long n, double q) {
  long i = (long)ceil(q * (double)n) - 1;
  if (i < 0) i = 0;
  if (i >= n) i = n - 1;
  return x[i];
}

static long default_iters(const struct test *t, long size) {
  if (t->kind == P2P_BW) return size > LARGE ? 20 : 100;
  return size > LARGE ? 100 : 1000;
}

/* ------------------------------------------------------------------------------------- main */

int main(int argc, char **argv) {
  struct opts o;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &np);

  if (parse(argc, argv, &o) != 0) {
    usage();
    MPI_Finalize();
    return 2;
  }
  const struct test *t = o.test;
  if (t->kind != COLL && np < 2) {
    if (rank == 0) fprintf(stderr, "osu: %s needs at least 2 ranks (np=%d)\n", t->name, np);
    MPI_Finalize();
    return 2;
  }

  /* Buffers: allgather/alltoall need np blocks; touch them so page faults are not timed. */
  size_t cap = (size_t)(o.max < 4 ? 4 : o.max);
  size_t scap = cap * (strcmp(t->name, "alltoall") == 0 ? (size_t)np : 1);
  size_t rcap = cap * (strcmp(t->name, "alltoall") == 0 || strcmp(t->name, "allgather") == 0
                           ? (size_t)np : 1);
  if (posix_memalign((void **)&sbuf, 4096, scap) != 0 ||
      posix_memalign((void **)&rbuf, 4096, rcap) != 0) {
    fprintf(stderr, "osu: rank %d: cannot allocate %zu + %zu bytes\n", rank, scap, rcap);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  memset(sbuf, 1, scap);
  memset(rbuf, 0, rcap);
  if (strcmp(t->name, "reduce") == 0 || strcmp(t->name, "allreduce") == 0) {
    float *f = (float *)(void *)sbuf;
    for (size_t k = 0; k < scap / sizeof(float); k++) f[k] = 1.0f;
  }

  if (rank == 0) {
    printf("# jmpi-osu %s system=%s np=%d\n", t->name, o.system, np);
    char it[32] = "default", wu[32] = "default";
    if (o.iters > 0) snprintf(it, sizeof it, "%ld", o.iters);
    if (o.warmup >= 0) snprintf(wu, sizeof wu, "%ld", o.warmup);
    printf("# sizes=%ld:%ld iters=%s warmup=%s budget_s=%g\n", o.min, o.max, it, wu, o.budget);
    if (t->kind == P2P_BW)
      printf("# size MB/s p50_us p99_us max_us\n");
    else
      printf("# size avg_us p50_us p99_us max_us\n");
    fflush(stdout);
  }

  if (t->kind == RMA_LAT) {
    void *base;
    MPI_Win_allocate((MPI_Aint)cap, 1, MPI_INFO_NULL, MPI_COMM_WORLD, &base, &win);
    if (rank == 0) MPI_Win_lock(MPI_LOCK_SHARED, 1, 0, win);
  }

  int single = strcmp(t->name, "barrier") == 0;
  for (long size = single ? 0 : o.min; size <= (single ? 0 : o.max);
       size = size == 0 ? 1 : size * 2) {
    if (size < t->elem && !single) continue;
    long iters = o.iters > 0 ? o.iters : default_iters(t, size);
    long warmup = o.warmup >= 0 ? o.warmup : (size > LARGE ? 10 : 100);

    MPI_Barrier(MPI_COMM_WORLD);
    double w0 = MPI_Wtime();
    for (long k = 0; k < warmup; k++) run_once(t, size);
    if (o.budget > 0) {
      /* Calibrate on rank 0: pace of the warm-up (or of 2 extra iterations if it was short). */
      long n = warmup;
      double spent = MPI_Wtime() - w0;
      if (n < 2) {
        w0 = MPI_Wtime();
        for (long k = 0; k < 2; k++) run_once(t, size);
        spent = MPI_Wtime() - w0;
        n = 2;
      }
      long chosen = 1;
      if (rank == 0) {
        double per = spent / (double)n;
        double want = per > 0 ? o.budget / per : (double)MAX_ITERS;
        chosen = want < 1 ? 1 : want > MAX_ITERS ? MAX_ITERS : (long)want;
        if (o.iters > 0 && chosen > o.iters) chosen = o.iters;
      }
      MPI_Bcast(&chosen, 1, MPI_LONG, 0, MPI_COMM_WORLD);
      iters = chosen;
    }

    samples = realloc(samples, sizeof(double) * (size_t)iters);
    if (samples == NULL) {
      fprintf(stderr, "osu: rank %d: cannot allocate %ld samples\n", rank, iters);
      MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Barrier(MPI_COMM_WORLD);
    double total = 0;
    double start = MPI_Wtime();
    for (long k = 0; k < iters; k++) {
      double dt = run_once(t, size);
      samples[k] = dt;
      total += dt;
    }
    double elapsed = MPI_Wtime() - start;

    double value, scale;
    if (t->kind == P2P_BW) {
      double bytes = (double)size * WINDOW * (double)iters * (strcmp(t->name, "bibw") == 0 ? 2 : 1);
      value = bytes / elapsed / 1e6;
      scale = 1e6; /* percentiles: one window's time in us */
    } else {
      scale = t->kind == P2P_LAT ? 0.5e6 : 1e6; /* latency: one way = RTT/2 */
      value = total / (double)iters * scale;
      if (t->kind == COLL) { /* OSU's "Avg Latency": mean over ranks of each rank's mean */
        double sum = value;
        MPI_Reduce(&value, &sum, 1, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
        value = sum / np;
      }
    }
    if (rank == 0) {
      qsort(samples, (size_t)iters, sizeof(double), cmp_double);
      printf("%ld %.2f %.2f %.2f %.2f\n", size, value, pct(samples, iters, 0.5) * scale,
             pct(samples, iters, 0.99) * scale, samples[iters - 1] * scale);
      fflush(stdout);
    }
  }

  if (win != MPI_WIN_NULL) {
    if (rank == 0) MPI_Win_unlock(1, win);
    MPI_Win_free(&win);
  }
  free(samples);
  free(sbuf);
  free(rbuf);
  MPI_Finalize();
  return 0;
}
