#!/usr/bin/env python3
"""Generates Collectives.java: the typed collective overloads of Comm, for every primitive array type (and
ByteBuffer for the collectives that only move data), blocking and non-blocking, each a one-line delegation to
CollectiveBase's generic operations. Run from mpi-core/: python3 src/build/gen_coll.py [output path]"""
import pathlib
import sys

PRIMS = ["byte", "short", "char", "int", "long", "float", "double", "boolean"]

# name, MPI name, reduction?, forms: (kind, params, delegation)
#   kind "full": params are the complete argument list; delegation calls the generic start method
#   other kinds delegate to the full form of the same (blocking or non-blocking) name with the given arguments
SPECS = [
    ("bcast", "MPI_Bcast", False, [
        ("full", "{A} buf, int offset, int count, int root", "startBcast({C}, {ASYNC}, {D}, buf, offset, count, root)",
         "{{@code buf[offset, offset + count)}} of {{@code root}} to every rank"),
        ("whole", "{A} buf, int root", "buf, 0, n(buf), root", "the whole array of {{@code root}} to every rank"),
    ]),
    ("reduce", "MPI_Reduce", True, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op, int root",
         "startReduce({C}, {ASYNC}, {D}, send, sendOffset, recv, recvOffset, count, op, root)",
         "{{@code count}} elements of every rank combined with {{@code op}} into {{@code recv}} of {{@code root}} (recv is ignored elsewhere)"),
        ("whole", "{A} send, {A} recv, Op op, int root", "send, 0, recv, 0, n(send), op, root",
         "whole arrays ({{@code recv}} significant at {{@code root}} only)"),
        ("inplace", "{A} buf, Op op, int root", "buf, 0, buf, 0, n(buf), op, root",
         "in place: {{@code buf}} is the input everywhere and receives the result at {{@code root}}"),
    ]),
    ("allreduce", "MPI_Allreduce", True, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op",
         "startAllreduce({C}, {ASYNC}, {D}, send, sendOffset, recv, recvOffset, count, op)",
         "{{@code count}} elements of every rank combined with {{@code op}} into {{@code recv}} of every rank"),
        ("whole", "{A} send, {A} recv, Op op", "send, 0, recv, 0, n(send), op", "whole arrays"),
        ("inplace", "{A} buf, Op op", "buf, 0, buf, 0, n(buf), op", "in place: the result replaces {{@code buf}}"),
    ]),
    ("gather", "MPI_Gather", False, [
        ("full", "{A} send, int sendOffset, int count, {A} recv, int recvOffset, int root",
         "startGather({C}, {ASYNC}, {D}, send, sendOffset, count, recv, recvOffset, root)",
         "{{@code count}} elements of every rank into {{@code recv}} of {{@code root}}, rank i's at {{@code recvOffset + i * count}}"),
        ("whole", "{A} send, {A} recv, int root", "send, 0, n(send), recv, 0, root",
         "blocks of {{@code send.length}} ({{@code recv}} significant at {{@code root}} only)"),
    ]),
    ("gatherv", "MPI_Gatherv", False, [
        ("full", "{A} send, int sendOffset, int sendCount, {A} recv, int[] recvCounts, int[] displs, int root",
         "startGatherv({C}, {ASYNC}, {D}, send, sendOffset, sendCount, recv, recvCounts, displs, root)",
         "blocks of different sizes: rank i's {{@code recvCounts[i]}} elements at {{@code recv[displs[i]]}} of {{@code root}}"),
        ("whole", "{A} send, {A} recv, int[] recvCounts, int[] displs, int root",
         "send, 0, n(send), recv, recvCounts, displs, root", "sending the whole array"),
    ]),
    ("scatter", "MPI_Scatter", False, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count, int root",
         "startScatter({C}, {ASYNC}, {D}, send, sendOffset, recv, recvOffset, count, root)",
         "block i ({{@code count}} elements at {{@code sendOffset + i * count}}) of {{@code root}} to rank i"),
        ("whole", "{A} send, {A} recv, int root", "send, 0, recv, 0, n(recv), root",
         "blocks of {{@code recv.length}} ({{@code send}} significant at {{@code root}} only)"),
    ]),
    ("scatterv", "MPI_Scatterv", False, [
        ("full", "{A} send, int[] sendCounts, int[] displs, {A} recv, int recvOffset, int recvCount, int root",
         "startScatterv({C}, {ASYNC}, {D}, send, sendCounts, displs, recv, recvOffset, recvCount, root)",
         "blocks of different sizes: {{@code sendCounts[i]}} elements at {{@code send[displs[i]]}} of {{@code root}} to rank i"),
        ("whole", "{A} send, int[] sendCounts, int[] displs, {A} recv, int root",
         "send, sendCounts, displs, recv, 0, n(recv), root", "into the whole receive array"),
    ]),
    ("allgather", "MPI_Allgather", False, [
        ("full", "{A} send, int sendOffset, int count, {A} recv, int recvOffset",
         "startAllgather({C}, {ASYNC}, {D}, send, sendOffset, count, recv, recvOffset)",
         "{{@code count}} elements of every rank into {{@code recv}} of every rank, rank i's at {{@code recvOffset + i * count}}"),
        ("whole", "{A} send, {A} recv", "send, 0, n(send), recv, 0", "blocks of {{@code send.length}}"),
        ("inplace", "{A} buf", "buf, rank * perRank({C}, \"buf\", buf), perRank({C}, \"buf\", buf), buf, 0",
         "in place: this rank's block of {{@code buf}} (blocks of {{@code buf.length / size}}) is its contribution"),
    ]),
    ("allgatherv", "MPI_Allgatherv", False, [
        ("full", "{A} send, int sendOffset, int sendCount, {A} recv, int[] recvCounts, int[] displs",
         "startAllgatherv({C}, {ASYNC}, {D}, send, sendOffset, sendCount, recv, recvCounts, displs)",
         "blocks of different sizes: rank i's {{@code recvCounts[i]}} elements at {{@code recv[displs[i]]}} of every rank"),
        ("whole", "{A} send, {A} recv, int[] recvCounts, int[] displs", "send, 0, n(send), recv, recvCounts, displs",
         "sending the whole array"),
    ]),
    ("alltoall", "MPI_Alltoall", False, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count",
         "startAlltoall({C}, {ASYNC}, {D}, send, sendOffset, recv, recvOffset, count)",
         "block j of {{@code count}} elements of {{@code send}} to rank j, which puts it at block {{@code rank}} of its {{@code recv}}"),
        ("whole", "{A} send, {A} recv", "send, 0, recv, 0, perRank({C}, \"send\", send)",
         "whole arrays in blocks of {{@code send.length / size}}"),
    ]),
    ("alltoallv", "MPI_Alltoallv", False, [
        ("full", "{A} send, int[] sendCounts, int[] sdispls, {A} recv, int[] recvCounts, int[] rdispls",
         "startAlltoallv({C}, {ASYNC}, {D}, send, sendCounts, sdispls, recv, recvCounts, rdispls)",
         "{{@code sendCounts[j]}} elements at {{@code send[sdispls[j]]}} to rank j; rank i's arrive at {{@code recv[rdispls[i]]}}"),
    ]),
    ("reduceScatter", "MPI_Reduce_scatter", True, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int[] recvCounts, Op op",
         "startReduceScatter({C}, {ASYNC}, {D}, send, sendOffset, recv, recvOffset, recvCounts, op)",
         "the vectors of all ranks ({{@code sum(recvCounts)}} elements) combined with {{@code op}}; rank i keeps block i ({{@code recvCounts[i]}} elements)"),
        ("whole", "{A} send, {A} recv, int[] recvCounts, Op op", "send, 0, recv, 0, recvCounts, op", "whole arrays"),
    ]),
    ("reduceScatterBlock", "MPI_Reduce_scatter_block", True, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op",
         "startReduceScatterBlock({C}, {ASYNC}, {D}, send, sendOffset, recv, recvOffset, count, op)",
         "the vectors of all ranks ({{@code size * count}} elements) combined with {{@code op}}; rank i keeps block i"),
        ("whole", "{A} send, {A} recv, Op op", "send, 0, recv, 0, perRank({C}, \"send\", send), op",
         "whole arrays, blocks of {{@code send.length / size}}"),
    ]),
    ("scan", "MPI_Scan", True, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op",
         "startScan({C}, {ASYNC}, false, {D}, send, sendOffset, recv, recvOffset, count, op)",
         "inclusive prefix reduction: rank i receives the combination of ranks 0..i"),
        ("whole", "{A} send, {A} recv, Op op", "send, 0, recv, 0, n(send), op", "whole arrays"),
        ("inplace", "{A} buf, Op op", "buf, 0, buf, 0, n(buf), op", "in place"),
    ]),
    ("exscan", "MPI_Exscan", True, [
        ("full", "{A} send, int sendOffset, {A} recv, int recvOffset, int count, Op op",
         "startScan({C}, {ASYNC}, true, {D}, send, sendOffset, recv, recvOffset, count, op)",
         "exclusive prefix reduction: rank i receives the combination of ranks 0..i-1 (rank 0's recv is left unchanged)"),
        ("whole", "{A} send, {A} recv, Op op", "send, 0, recv, 0, n(send), op", "whole arrays"),
        ("inplace", "{A} buf, Op op", "buf, 0, buf, 0, n(buf), op", "in place"),
    ]),
]


# collectives that also exist persistent (MPI_Bcast_init, ...): name + "Init", returning a Prequest
PERSISTENT = {"bcast", "reduce", "allreduce", "allgather", "alltoall"}


def iname(name, mpi):
    return "i" + name, "MPI_I" + mpi[4].lower() + mpi[5:]


out = []
w = out.append
w("package io.jmpi;\n")
w("import io.jmpi.buffer.DataType;\n")
w("import java.nio.ByteBuffer;\n")
w("/**")
w(" * Typed collective overloads of {@link Comm}: for every primitive array type, and for {@code ByteBuffer} where")
w(" * only data moves (its elements are the bytes between position and limit, offsets count from the position, and")
w(" * position and limit are left unchanged). Each collective has an offset/count form, a whole-array form and, where")
w(" * MPI has {@code MPI_IN_PLACE}, an in-place form; each also exists non-blocking ({@code i}-prefixed), returning a")
w(" * {@link Request} that owns the buffers until it completes. Arguments that MPI reads only at the root may be null")
w(" * elsewhere. Bcast, reduce, allreduce, allgather and alltoall also exist persistent ({@code bcastInit}, ...:")
w(" * {@code MPI_Bcast_init}), returning a {@link Prequest}; arguments are fixed at init and read at each start,")
w(" * which re-runs the schedule built at init and allocates nothing.")
w(" * Generated by {@code src/build/gen_coll.py}; edit the generator, not this file.")
w(" */")
w("abstract class Collectives extends CollectiveBase {")
w("    Collectives(Mpi mpi, io.jmpi.engine.Engine engine, int context, int[] worldRanks, String name, io.jmpi.coll.Progress progress) {")
w("        super(mpi, engine, context, worldRanks, name, progress);\n    }")

for t in PRIMS + ["ByteBuffer"]:
    prim = t != "ByteBuffer"
    A = f"{t}[]" if prim else "ByteBuffer"
    D = f"DataType.{t.upper()}" if prim else "DataType.BYTE"
    w(f"\n    // ---------------------------------------------------------------- {A}\n")
    if prim:
        w(f"    private static int n({A} b) {{\n        return b == null ? 0 : b.length;\n    }}")
    else:
        w(f"    private static int n({A} b) {{\n        return b == null ? 0 : b.remaining();\n    }}")
    for name, mpi, red, forms in SPECS:
        if red and not prim:
            continue
        for async_ in (False, True, "init") if name in PERSISTENT else (False, True):
            if async_ == "init":  # MPI-4 persistent collective: built at init, each start re-runs it (PersistentSchedule)
                mname, mpiname = name + "Init", mpi + "_init"
            else:
                mname, mpiname = iname(name, mpi) if async_ else (name, mpi)
            ret = "Prequest" if async_ == "init" else "Request" if async_ else "void"
            for kind, params, deleg, doc in forms:
                sig = params.format(A=A)
                w("")
                if kind == "full":
                    w(f"    /** {{@code {mpiname}}}: {doc.format()}. */")
                    body = deleg.format(C=f'"{mname}"', ASYNC="true" if async_ else "false", D=D)
                    if async_ == "init":
                        body = f'P2pModes.collectiveInit("{mname}", () -> {body})'
                    stmt = f"return {body};" if async_ else f"finish({body});"
                else:
                    w(f"    /** {{@code {mpiname}}}, {doc.format()}. */")
                    args = deleg.format(C=f'"{mname}"')
                    stmt = f"{'return ' if async_ else ''}{mname}({args});"
                w(f"    public {ret} {mname}({sig}) {{")
                w(f"        {stmt}")
                w("    }")
w("}")
# An optional first argument writes elsewhere (GeneratedSourcesTest compares that output with the committed file).
target = sys.argv[1] if len(sys.argv) > 1 else "src/main/java/io/jmpi/Collectives.java"
pathlib.Path(target).write_text("\n".join(out) + "\n")
