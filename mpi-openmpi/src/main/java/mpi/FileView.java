package mpi;

/**
 * An MPI-IO file view ({@code MPI_File_get_view}'s results): displacement, elementary type, file type and data
 * representation. A plain value, as in Open MPI; {@code mpi.File}, which returns it, waits for jmpi's parallel I/O.
 */
public final class FileView {
    private final long disp;
    private final Datatype etype, filetype;
    private final String datarep;

    /** A view of displacement {@code disp} bytes, elementary type {@code etype}, file type {@code filetype}. */
    public FileView(long disp, Datatype etype, Datatype filetype, String datarep) {
        this.disp = disp;
        this.etype = etype;
        this.filetype = filetype;
        this.datarep = datarep;
    }

    public long getDisp() {
        return disp;
    }

    public Datatype getEType() {
        return etype;
    }

    public Datatype getFileType() {
        return filetype;
    }

    public String getDataRep() {
        return datarep;
    }
}
