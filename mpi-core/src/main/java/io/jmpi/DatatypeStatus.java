package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

/** What a {@link Status} says about a message in terms of a {@link Datatype} (kept here to leave Status small). */
final class DatatypeStatus {
    private DatatypeStatus() {
    }

    static int size(String call, Datatype type) {
        if (type == null) throw new MpiException(ErrorClass.ARG, call + ": type is null");
        type.layout(call);
        return type.size();
    }

    static long elements(Datatype type, long bytes) {
        size("Status.elements", type);
        return type.layout("Status.elements").elements(bytes);
    }
}
