package io.jmpi;

import io.jmpi.base.ErrorClass;
import io.jmpi.base.MpiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * String hints ({@code MPI_Info}): an ordered map of keys to values, passed where MPI takes an info argument
 * ({@link Comm#dup(Info)}, {@link Comm#idup(Info)}, {@link Comm#createGroup(Group, int, Info)}, {@link Comm#setInfo}).
 * jmpi interprets no hint yet; a communicator keeps the hints it was given and returns a copy from
 * {@link Comm#info()}. Calls copy an info, so changing it afterwards changes no communicator. Thread-safe.
 */
public final class Info {
    /** Longest key ({@code MPI_MAX_INFO_KEY}). */
    public static final int MAX_KEY = 255;
    /** Longest value ({@code MPI_MAX_INFO_VAL}). */
    public static final int MAX_VALUE = 1024;

    private final Map<String, String> entries = new LinkedHashMap<>();

    /** An empty info ({@code MPI_Info_create}). */
    public Info() {
    }

    /** Sets {@code key} to {@code value}, replacing an earlier value ({@code MPI_Info_set}). */
    public synchronized Info set(String key, String value) {
        checkKey("set", key);
        if (value == null) throw new MpiException(ErrorClass.ARG, "Info.set: value is null");
        if (value.isEmpty() || value.length() > MAX_VALUE) {
            throw new MpiException(ErrorClass.ARG, "Info.set: value length " + value.length() + " out of range [1, " + MAX_VALUE + "]");
        }
        entries.put(key, value);
        return this;
    }

    /** The value of {@code key}, or null if it has none ({@code MPI_Info_get_string}). */
    public synchronized String get(String key) {
        checkKey("get", key);
        return entries.get(key);
    }

    /** Removes {@code key} ({@code MPI_Info_delete}); an error if it has no value. */
    public synchronized void delete(String key) {
        checkKey("delete", key);
        if (entries.remove(key) == null) {
            throw new MpiException(ErrorClass.ARG, "Info.delete: key \"" + key + "\" is not set (MPI_ERR_INFO_NOKEY)");
        }
    }

    /** The keys in the order they were first set ({@code MPI_Info_get_nkeys}, {@code MPI_Info_get_nthkey}). */
    public synchronized List<String> keys() {
        return new ArrayList<>(entries.keySet());
    }

    /** Number of keys ({@code MPI_Info_get_nkeys}). */
    public synchronized int size() {
        return entries.size();
    }

    /** An independent copy ({@code MPI_Info_dup}). */
    public synchronized Info dup() {
        Info i = new Info();
        i.entries.putAll(entries);
        return i;
    }

    private static void checkKey(String call, String key) {
        if (key == null) throw new MpiException(ErrorClass.ARG, "Info." + call + ": key is null");
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw new MpiException(ErrorClass.ARG, "Info." + call + ": key length " + key.length() + " out of range [1, " + MAX_KEY + "]");
        }
    }

    @Override
    public synchronized String toString() {
        return "Info" + entries;
    }
}
