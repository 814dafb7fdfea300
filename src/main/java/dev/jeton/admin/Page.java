package dev.jeton.admin;

import dev.jeton.model.Failure;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a list: at most {@code limit} items after the cursor, in the order of their key.
 * The cursor is opaque to clients (base64url of the last key given), so a page stays right
 * when items are added or removed before it.
 *
 * @param next the cursor of the following page, null on the last one
 */
record Page<T>(List<T> items, String next) {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    static <T> Page<T> of(List<T> all, Function<T, String> key, int limit, String cursor) {
        String after = cursor == null ? null : decode(cursor);
        List<T> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(key));
        List<T> page = new ArrayList<>();
        for (T item : sorted) {
            if (after != null && key.apply(item).compareTo(after) <= 0) continue;
            if (page.size() == limit) return new Page<>(page, encode(key.apply(page.getLast())));
            page.add(item);
        }
        return new Page<>(page, null);
    }

    /** The limit parameter: 1 to 500, 50 when absent. */
    static int limit(String text) {
        if (text == null) return DEFAULT_LIMIT;
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= MAX_LIMIT) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw Failure.invalidRequest("limit", "limit must be a number from 1 to " + MAX_LIMIT);
    }

    static String encode(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decode(String cursor) {
        try {
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Failure.invalidRequest("cursor", "cursor is not one this API gave out");
        }
    }
}
