package dev.jeton.admin;

/**
 * One kind of resource of the admin API: its routes under {@code /admin/v1/KIND}, read with
 * scope {@code jeton:admin:KIND:read} and changed with {@code jeton:admin:KIND}. A new kind is
 * one class and one line in the server's wiring.
 */
public interface AdminResource {
    /** The kind's path segment and scope name: {@code clients}, {@code api-keys}... */
    String kind();

    void routes(AdminRoutes routes);
}
