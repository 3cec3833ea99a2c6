#!/usr/bin/env python3
"""Generates InterCollectives.java: the typed collective overloads of Intercomm (MPI 4.1 section 6.2.2), for every
primitive array type (and ByteBuffer for the collectives that only move data), blocking, non-blocking and, where
the intracommunicator has them, persistent; each a one-line delegation to InterBase's generic operations. Names,
argument order and forms follow gen_coll.py (the intracommunicator's), without the in-place forms (MPI has none on
intercommunicators). Run from mpi-core/: python3 src/build/gen_intercomm.py [output path]"""
import pathlib
import sys

PRIMS = ["byte", "short", "char", "int", "long", "float", "double", "boolean"]

ROOTED = ("at the root (which passes {{@link Intercomm#ROOT}}; the rest of its group passes {{@link Mpi#PROC_NULL}} and "
          "its buffers are ignored); the other group passes the root's rank")

# name, MPI name, reduction?, generic (InterBase.startX / buildX), forms: (params, args of the generic, doc)
# The first form is the offset/count one; in the others, args compute counts from the arrays.
SPECS = [
    ("bcast", "MPI_Bcast", False, "Bcast", [
        ("{A} buf, int offset, int count, int root", "buf, offset, count, root",
         "{{@code buf[offset, offset + count)}} of the root to every rank of the other group; " + ROOTED),
        ("{A} buf, int root", "buf, 0, n(buf), root", "the whole array"),
    ]),
    ("reduce", "MPI_Reduce", True, "Reduce", [
        ("{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op, int root",
         "send, sendOffset, recv, recvOffset, count, op, root",
         "{{@code count}} elements of every rank of the other group combined with {{@code op}} into {{@code recv}} of "
         "the root; " + ROOTED),
        ("{A} send, {A} recv, Op op, int root", "send, 0, recv, 0, root == ROOT ? n(recv) : n(send), op, root",
         "whole arrays ({{@code recv}} at the root, {{@code send}} in the other group)"),
    ]),
    ("allreduce", "MPI_Allreduce", True, "Allreduce", [
        ("{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op",
         "send, sendOffset, recv, recvOffset, count, op",
         "{{@code recv}} of every rank gets the reduction with {{@code op}} of the other group's {{@code send}} "
         "({{@code count}} elements in both groups)"),
        ("{A} send, {A} recv, Op op", "send, 0, recv, 0, n(send), op", "whole arrays"),
    ]),
    ("gather", "MPI_Gather", False, "Gather", [
        ("{A} send, int sendOffset, int count, {A} recv, int recvOffset, int root",
         "send, sendOffset, count, recv, recvOffset, root",
         "{{@code count}} elements of every rank of the other group into {{@code recv}} of the root, remote rank i's "
         "at {{@code recvOffset + i * count}}; " + ROOTED),
        ("{A} send, {A} recv, int root",
         "send, 0, root == ROOT ? perRemote({C}, \"recv\", recv) : n(send), recv, 0, root",
         "whole arrays: {{@code recv}} of the root holds one block per remote rank"),
    ]),
    ("gatherv", "MPI_Gatherv", False, "Gatherv", [
        ("{A} send, int sendOffset, int sendCount, {A} recv, int[] recvCounts, int[] displs, int root",
         "send, sendOffset, sendCount, recv, recvCounts, displs, root",
         "blocks of different sizes: remote rank i's {{@code recvCounts[i]}} elements at {{@code recv[displs[i]]}} "
         "of the root; " + ROOTED),
        ("{A} send, {A} recv, int[] recvCounts, int[] displs, int root",
         "send, 0, n(send), recv, recvCounts, displs, root", "sending the whole array"),
    ]),
    ("scatter", "MPI_Scatter", False, "Scatter", [
        ("{A} send, int sendOffset, {A} recv, int recvOffset, int count, int root",
         "send, sendOffset, recv, recvOffset, count, root",
         "block j ({{@code count}} elements at {{@code sendOffset + j * count}}) of the root to remote rank j; " + ROOTED),
        ("{A} send, {A} recv, int root",
         "send, 0, recv, 0, root == ROOT ? perRemote({C}, \"send\", send) : n(recv), root",
         "whole arrays: {{@code send}} of the root holds one block per remote rank"),
    ]),
    ("scatterv", "MPI_Scatterv", False, "Scatterv", [
        ("{A} send, int[] sendCounts, int[] displs, {A} recv, int recvOffset, int recvCount, int root",
         "send, sendCounts, displs, recv, recvOffset, recvCount, root",
         "blocks of different sizes: {{@code sendCounts[j]}} elements at {{@code send[displs[j]]}} of the root to "
         "remote rank j; " + ROOTED),
        ("{A} send, int[] sendCounts, int[] displs, {A} recv, int root",
         "send, sendCounts, displs, recv, 0, n(recv), root", "into the whole receive array"),
    ]),
    ("allgather", "MPI_Allgather", False, "Allgather", [
        ("{A} send, int sendOffset, int count, {A} recv, int recvOffset",
         "send, sendOffset, count, recv, recvOffset, count",
         "{{@code count}} elements of every rank into {{@code recv}} of every rank of the other group, remote rank "
         "i's at {{@code recvOffset + i * count}} (both groups pass the same count; the whole-array form allows "
         "different ones)"),
        ("{A} send, {A} recv", "send, 0, n(send), recv, 0, perRemote({C}, \"recv\", recv)",
         "whole arrays: {{@code recv}} holds one block per remote rank"),
    ]),
    ("allgatherv", "MPI_Allgatherv", False, "Allgatherv", [
        ("{A} send, int sendOffset, int sendCount, {A} recv, int[] recvCounts, int[] displs",
         "send, sendOffset, sendCount, recv, recvCounts, displs",
         "blocks of different sizes: remote rank i's {{@code recvCounts[i]}} elements at {{@code recv[displs[i]]}} "
         "of every rank"),
        ("{A} send, {A} recv, int[] recvCounts, int[] displs", "send, 0, n(send), recv, recvCounts, displs",
         "sending the whole array"),
    ]),
    ("alltoall", "MPI_Alltoall", False, "Alltoall", [
        ("{A} send, int sendOffset, {A} recv, int recvOffset, int count",
         "send, sendOffset, count, recv, recvOffset, count",
         "block j of {{@code count}} elements of {{@code send}} to remote rank j, which puts it at block "
         "{{@code rank}} of its {{@code recv}} (both groups pass the same count; the whole-array form allows "
         "different ones)"),
        ("{A} send, {A} recv",
         "send, 0, perRemote({C}, \"send\", send), recv, 0, perRemote({C}, \"recv\", recv)",
         "whole arrays, each in one block per remote rank"),
    ]),
    ("alltoallv", "MPI_Alltoallv", False, "Alltoallv", [
        ("{A} send, int[] sendCounts, int[] sdispls, {A} recv, int[] recvCounts, int[] rdispls",
         "send, sendCounts, sdispls, recv, recvCounts, rdispls",
         "{{@code sendCounts[j]}} elements at {{@code send[sdispls[j]]}} to remote rank j; remote rank i's arrive at "
         "{{@code recv[rdispls[i]]}}"),
    ]),
    ("reduceScatter", "MPI_Reduce_scatter", True, "ReduceScatter", [
        ("{A} send, int sendOffset, {A} recv, int recvOffset, int[] recvCounts, Op op",
         "send, sendOffset, recv, recvOffset, recvCounts, op",
         "the vectors of the other group ({{@code sum(recvCounts)}} elements, the same sum in both groups) "
         "combined with {{@code op}}; local rank i keeps block i ({{@code recvCounts[i]}} elements, one count per "
         "local rank)"),
        ("{A} send, {A} recv, int[] recvCounts, Op op", "send, 0, recv, 0, recvCounts, op", "whole arrays"),
    ]),
    ("reduceScatterBlock", "MPI_Reduce_scatter_block", True, "ReduceScatterBlock", [
        ("{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op",
         "send, sendOffset, recv, recvOffset, count, op",
         "the vectors of the other group ({{@code size() * count}} elements here, the same total in both groups) "
         "combined with {{@code op}}; local rank i keeps block i of {{@code count}} elements"),
        ("{A} send, {A} recv, Op op", "send, 0, recv, 0, perLocal({C}, \"send\", send), op",
         "whole arrays, blocks of {{@code send.length / size()}}"),
    ]),
]

# collectives that also exist persistent (MPI_Bcast_init, ...), as on intracommunicators
PERSISTENT = {"bcast", "reduce", "allreduce", "allgather", "alltoall"}


def iname(name, mpi):
    return "i" + name, "MPI_I" + mpi[4].lower() + mpi[5:]


out = []
w = out.append
w("package io.jmpi;\n")
w("import io.jmpi.buffer.DataType;\n")
w("import java.nio.ByteBuffer;\n")
w("/**")
w(" * Typed collective overloads of {@link Intercomm} (MPI 4.1 section 6.2.2): for every primitive array type, and for")
w(" * {@code ByteBuffer} where only data moves (the bytes between position and limit; offsets count from the position,")
w(" * which stays unchanged). Names and argument order are those of {@link Comm}'s collectives; data flows between the")
w(" * groups: all-to-all ones give each rank the other group's contributions (or their reduction), rooted ones move")
w(" * data between the root and the other group. Each collective has an offset/count form and most a whole-array")
w(" * form; each also exists non-blocking ({@code i}-prefixed), returning a {@link Request} that owns the buffers until")
w(" * it completes; bcast, reduce, allreduce, allgather and alltoall also persistent ({@code bcastInit}, ...:")
w(" * {@code MPI_Bcast_init}), returning a {@link Prequest} that re-runs one compiled schedule at each start. There are")
w(" * no in-place forms: MPI has none on intercommunicators. Generated by {@code src/build/gen_intercomm.py}; edit the")
w(" * generator, not this file.")
w(" */")
w("abstract class InterCollectives extends InterBase {")
w("    InterCollectives(Comm local, int context, int[] remote, String name) {")
w("        super(local, context, remote, name);\n    }")

for t in PRIMS + ["ByteBuffer"]:
    prim = t != "ByteBuffer"
    A = f"{t}[]" if prim else "ByteBuffer"
    D = f"DataType.{t.upper()}" if prim else "DataType.BYTE"
    w(f"\n    // ---------------------------------------------------------------- {A}\n")
    if prim:
        w(f"    private static int n({A} b) {{\n        return b == null ? 0 : b.length;\n    }}")
    else:
        w(f"    private static int n({A} b) {{\n        return b == null ? 0 : b.remaining();\n    }}")
    for name, mpi, red, generic, forms in SPECS:
        if red and not prim:
            continue
        for mode in ("block", "async", "init") if name in PERSISTENT else ("block", "async"):
            if mode == "init":
                mname, mpiname = name + "Init", mpi + "_init"
            elif mode == "async":
                mname, mpiname = iname(name, mpi)
            else:
                mname, mpiname = name, mpi
            ret = {"block": "void", "async": "Request", "init": "Prequest"}[mode]
            call = f'"{mname}"'
            for i, (params, args, doc) in enumerate(forms):
                a = args.format(C=call)
                w("")
                if i == 0:
                    w(f"    /** {{@code {mpiname}}} on an intercommunicator: {doc.format()}. */")
                else:
                    w(f"    /** {{@code {mpiname}}} on an intercommunicator, {doc.format()}. */")
                if mode == "block":
                    stmt = f"finish(start{generic}({call}, false, {D}, {a}));"
                elif mode == "async":
                    stmt = f"return start{generic}({call}, true, {D}, {a});"
                else:
                    stmt = f"return persistent({call}, () -> build{generic}({call}, {D}, {a}));"
                w(f"    public {ret} {mname}({params.format(A=A)}) {{")
                w(f"        {stmt}")
                w("    }")
w("}")
# An optional first argument writes elsewhere (GeneratedSourcesTest compares that output with the committed file).
target = sys.argv[1] if len(sys.argv) > 1 else "src/main/java/io/jmpi/InterCollectives.java"
pathlib.Path(target).write_text("\n".join(out) + "\n")
