package dev.jeton;

import java.util.function.Consumer;
import java.util.function.Supplier;

/** A part made on its first use, once: what a command never asks for, it never makes. */
final class Lazy<T> implements Supplier<T> {
    private final Supplier<T> make;
    private T made;

    Lazy(Supplier<T> make) {
        this.make = make;
    }

    @Override
    public synchronized T get() {
        if (made == null) made = make.get();
        return made;
    }

    /** Runs {@code action} on the part if it was made; makes nothing. */
    synchronized void ifMade(Consumer<T> action) {
        if (made != null) action.accept(made);
    }
}
