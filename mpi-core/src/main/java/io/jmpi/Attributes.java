package io.jmpi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values cached on one communicator ({@code MPI_Comm_set_attr} and friends). Callbacks run outside the lock,
 * so a callback may use the communicator's attributes itself; a delete callback that throws leaves the value in
 * place, as MPI leaves an attribute whose delete function failed.
 */
final class Attributes {
    private final Map<Keyval, Object> values = new LinkedHashMap<>();

    void set(Comm comm, Keyval key, Object value) {
        Object old;
        synchronized (this) {
            old = values.get(key);
        }
        if (old != null) key.deleteFn.delete(comm, key, old);
        synchronized (this) {
            values.put(key, value);
        }
    }

    synchronized Object get(Keyval key) {
        return values.get(key);
    }

    /** Deletes the value of {@code key}; returns false if there was none. */
    boolean delete(Comm comm, Keyval key) {
        Object old;
        synchronized (this) {
            old = values.get(key);
        }
        if (old == null) return false;
        key.deleteFn.delete(comm, key, old);
        synchronized (this) {
            values.remove(key, old);
        }
        return true;
    }

    /** Runs every copy function for a duplicate of {@code from} and caches the results on {@code to}. */
    void copyTo(Comm from, Comm to) {
        for (Map.Entry<Keyval, Object> e : snapshot()) {
            Object v = e.getKey().copyFn.copy(from, e.getKey(), e.getValue());
            if (v != null) {
                synchronized (to.attributes) {
                    to.attributes.values.put(e.getKey(), v);
                }
            }
        }
    }

    /** Deletes every value, the most recently set first (as MPI_Finalize does for MPI_COMM_SELF). */
    void deleteAll(Comm comm) {
        List<Map.Entry<Keyval, Object>> all = snapshot();
        for (int i = all.size() - 1; i >= 0; i--) delete(comm, all.get(i).getKey());
    }

    private synchronized List<Map.Entry<Keyval, Object>> snapshot() {
        List<Map.Entry<Keyval, Object>> l = new ArrayList<>();
        for (Map.Entry<Keyval, Object> e : values.entrySet()) l.add(Map.entry(e.getKey(), e.getValue()));
        return l;
    }
}
