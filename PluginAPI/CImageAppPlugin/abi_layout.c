/*
 * abi_layout.c — compile-time pins of the Image App plugin ABI (1.0, then each later minor).
 *
 * Compiled with the CImageAppPlugin target, so every build of the host checks the live header
 * against the layout that ABI 1.0 plugin binaries were compiled with. The frozen copy of the
 * v1.0 header, and a plugin built against it, live in Tests/Plugins/abi-v1.0.
 *
 * This file only holds static assertions; it defines nothing.
 */
#include "imageapp_plugin.h"

/* ---- BEGIN ABI 1.0 PINS ------------------------------------------------------------------
 * This list is duplicated, byte for byte, in PluginAPI/CImageAppPlugin/abi_layout.c (against
 * the live header) and Tests/Plugins/abi-v1.0/abi_v1_0_plugin.c (against the frozen v1.0
 * copy): the two SwiftPM targets cannot share a file. Keep the two copies identical.
 *
 * The pins freeze ABI 1.0. Appending fields at the end of a struct, or slots at the end of
 * ia_host_api, keeps every one of them true (struct sizes are pinned with >=, since they may
 * grow; ia_str, which is embedded and passed in arrays, is pinned exactly). A failing assert
 * means a change moved, resized or renumbered something that plugin binaries built against
 * ABI 1.0 rely on: revert it and append instead.
 * ---------------------------------------------------------------------------------------- */

/* Constants compiled into plugin binaries. */
_Static_assert(IA_ABI_MAJOR == 1, "IA_ABI_MAJOR");
_Static_assert(IA_OK == 0, "IA_OK");
_Static_assert(IA_PENDING == 1, "IA_PENDING");
_Static_assert(IA_DONE == 2, "IA_DONE");
_Static_assert(IA_ERR_INVALID_ARGUMENT == -1, "IA_ERR_INVALID_ARGUMENT");
_Static_assert(IA_ERR_NOT_FOUND == -2, "IA_ERR_NOT_FOUND");
_Static_assert(IA_ERR_CONFLICT == -3, "IA_ERR_CONFLICT");
_Static_assert(IA_ERR_STATE == -4, "IA_ERR_STATE");
_Static_assert(IA_ERR_UNSUPPORTED == -5, "IA_ERR_UNSUPPORTED");
_Static_assert(IA_ERR_INTERNAL == -6, "IA_ERR_INTERNAL");
_Static_assert(IA_ERR_TOO_LARGE == -7, "IA_ERR_TOO_LARGE");
_Static_assert(IA_ERR_TYPE == -8, "IA_ERR_TYPE");
_Static_assert(IA_LOG_TRACE == 0, "IA_LOG_TRACE");
_Static_assert(IA_LOG_DEBUG == 1, "IA_LOG_DEBUG");
_Static_assert(IA_LOG_INFO == 2, "IA_LOG_INFO");
_Static_assert(IA_LOG_NOTICE == 3, "IA_LOG_NOTICE");
_Static_assert(IA_LOG_WARNING == 4, "IA_LOG_WARNING");
_Static_assert(IA_LOG_ERROR == 5, "IA_LOG_ERROR");
_Static_assert(IA_LOG_CRITICAL == 6, "IA_LOG_CRITICAL");
_Static_assert(IA_ROUTE_NONBLOCKING == 1u, "IA_ROUTE_NONBLOCKING");
_Static_assert(IA_ROUTE_REQUIRE_USER == 2u, "IA_ROUTE_REQUIRE_USER");
_Static_assert(IA_ROUTE_REQUIRE_ADMIN == 4u, "IA_ROUTE_REQUIRE_ADMIN");
_Static_assert(IA_ROUTE_HIDDEN == 8u, "IA_ROUTE_HIDDEN");
_Static_assert(IA_MIDDLEWARE_NONBLOCKING == 1u, "IA_MIDDLEWARE_NONBLOCKING");
_Static_assert(IA_METRIC_COUNTER == 1, "IA_METRIC_COUNTER");
_Static_assert(IA_METRIC_GAUGE == 2, "IA_METRIC_GAUGE");
_Static_assert(IA_METRIC_HISTOGRAM == 3, "IA_METRIC_HISTOGRAM");

/* Layouts, as measured with offsetof/sizeof on LP64 (64-bit pointers and size_t). Other data
 * models are not pinned. */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu

/* ia_str */
_Static_assert(sizeof(ia_str) == 16, "sizeof(ia_str): embedded and used in arrays, it never grows");
_Static_assert(offsetof(ia_str, data) == 0, "offsetof(ia_str, data)");
_Static_assert(sizeof(((ia_str *)0)->data) == 8, "sizeof(ia_str.data)");
_Static_assert(offsetof(ia_str, len) == 8, "offsetof(ia_str, len)");
_Static_assert(sizeof(((ia_str *)0)->len) == 8, "sizeof(ia_str.len)");

/* ia_error */
_Static_assert(sizeof(ia_error) >= 264, "sizeof(ia_error) shrank below its v1.0 size");
_Static_assert(offsetof(ia_error, struct_size) == 0, "offsetof(ia_error, struct_size)");
_Static_assert(sizeof(((ia_error *)0)->struct_size) == 4, "sizeof(ia_error.struct_size)");
_Static_assert(offsetof(ia_error, code) == 4, "offsetof(ia_error, code)");
_Static_assert(sizeof(((ia_error *)0)->code) == 4, "sizeof(ia_error.code)");
_Static_assert(offsetof(ia_error, message) == 8, "offsetof(ia_error, message)");
_Static_assert(sizeof(((ia_error *)0)->message) == 256, "sizeof(ia_error.message)");

/* ia_host_info */
_Static_assert(sizeof(ia_host_info) >= 40, "sizeof(ia_host_info) shrank below its v1.0 size");
_Static_assert(offsetof(ia_host_info, struct_size) == 0, "offsetof(ia_host_info, struct_size)");
_Static_assert(sizeof(((ia_host_info *)0)->struct_size) == 4, "sizeof(ia_host_info.struct_size)");
_Static_assert(offsetof(ia_host_info, abi_major) == 4, "offsetof(ia_host_info, abi_major)");
_Static_assert(sizeof(((ia_host_info *)0)->abi_major) == 2, "sizeof(ia_host_info.abi_major)");
_Static_assert(offsetof(ia_host_info, abi_minor) == 6, "offsetof(ia_host_info, abi_minor)");
_Static_assert(sizeof(((ia_host_info *)0)->abi_minor) == 2, "sizeof(ia_host_info.abi_minor)");
_Static_assert(offsetof(ia_host_info, host_version) == 8, "offsetof(ia_host_info, host_version)");
_Static_assert(sizeof(((ia_host_info *)0)->host_version) == 16, "sizeof(ia_host_info.host_version)");
_Static_assert(offsetof(ia_host_info, toolchain) == 24, "offsetof(ia_host_info, toolchain)");
_Static_assert(sizeof(((ia_host_info *)0)->toolchain) == 16, "sizeof(ia_host_info.toolchain)");

/* ia_plugin_descriptor */
_Static_assert(sizeof(ia_plugin_descriptor) >= 112, "sizeof(ia_plugin_descriptor) shrank below its v1.0 size");
_Static_assert(offsetof(ia_plugin_descriptor, struct_size) == 0, "offsetof(ia_plugin_descriptor, struct_size)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->struct_size) == 4, "sizeof(ia_plugin_descriptor.struct_size)");
_Static_assert(offsetof(ia_plugin_descriptor, abi_major) == 4, "offsetof(ia_plugin_descriptor, abi_major)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->abi_major) == 2, "sizeof(ia_plugin_descriptor.abi_major)");
_Static_assert(offsetof(ia_plugin_descriptor, abi_minor) == 6, "offsetof(ia_plugin_descriptor, abi_minor)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->abi_minor) == 2, "sizeof(ia_plugin_descriptor.abi_minor)");
_Static_assert(offsetof(ia_plugin_descriptor, build_signature) == 8, "offsetof(ia_plugin_descriptor, build_signature)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->build_signature) == 4, "sizeof(ia_plugin_descriptor.build_signature)");
_Static_assert(offsetof(ia_plugin_descriptor, flags) == 12, "offsetof(ia_plugin_descriptor, flags)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->flags) == 4, "sizeof(ia_plugin_descriptor.flags)");
_Static_assert(offsetof(ia_plugin_descriptor, name) == 16, "offsetof(ia_plugin_descriptor, name)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->name) == 16, "sizeof(ia_plugin_descriptor.name)");
_Static_assert(offsetof(ia_plugin_descriptor, version) == 32, "offsetof(ia_plugin_descriptor, version)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->version) == 16, "sizeof(ia_plugin_descriptor.version)");
_Static_assert(offsetof(ia_plugin_descriptor, dependencies) == 48, "offsetof(ia_plugin_descriptor, dependencies)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->dependencies) == 8, "sizeof(ia_plugin_descriptor.dependencies)");
_Static_assert(offsetof(ia_plugin_descriptor, dependency_count) == 56, "offsetof(ia_plugin_descriptor, dependency_count)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->dependency_count) == 8, "sizeof(ia_plugin_descriptor.dependency_count)");
_Static_assert(offsetof(ia_plugin_descriptor, user_data) == 64, "offsetof(ia_plugin_descriptor, user_data)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->user_data) == 8, "sizeof(ia_plugin_descriptor.user_data)");
_Static_assert(offsetof(ia_plugin_descriptor, init) == 72, "offsetof(ia_plugin_descriptor, init)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->init) == 8, "sizeof(ia_plugin_descriptor.init)");
_Static_assert(offsetof(ia_plugin_descriptor, start) == 80, "offsetof(ia_plugin_descriptor, start)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->start) == 8, "sizeof(ia_plugin_descriptor.start)");
_Static_assert(offsetof(ia_plugin_descriptor, stop) == 88, "offsetof(ia_plugin_descriptor, stop)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->stop) == 8, "sizeof(ia_plugin_descriptor.stop)");
_Static_assert(offsetof(ia_plugin_descriptor, toolchain) == 96, "offsetof(ia_plugin_descriptor, toolchain)");
_Static_assert(sizeof(((ia_plugin_descriptor *)0)->toolchain) == 16, "sizeof(ia_plugin_descriptor.toolchain)");

/* ia_route_def */
_Static_assert(sizeof(ia_route_def) >= 152, "sizeof(ia_route_def) shrank below its v1.0 size");
_Static_assert(offsetof(ia_route_def, struct_size) == 0, "offsetof(ia_route_def, struct_size)");
_Static_assert(sizeof(((ia_route_def *)0)->struct_size) == 4, "sizeof(ia_route_def.struct_size)");
_Static_assert(offsetof(ia_route_def, flags) == 4, "offsetof(ia_route_def, flags)");
_Static_assert(sizeof(((ia_route_def *)0)->flags) == 4, "sizeof(ia_route_def.flags)");
_Static_assert(offsetof(ia_route_def, method) == 8, "offsetof(ia_route_def, method)");
_Static_assert(sizeof(((ia_route_def *)0)->method) == 16, "sizeof(ia_route_def.method)");
_Static_assert(offsetof(ia_route_def, path) == 24, "offsetof(ia_route_def, path)");
_Static_assert(sizeof(((ia_route_def *)0)->path) == 16, "sizeof(ia_route_def.path)");
_Static_assert(offsetof(ia_route_def, handler) == 40, "offsetof(ia_route_def, handler)");
_Static_assert(sizeof(((ia_route_def *)0)->handler) == 8, "sizeof(ia_route_def.handler)");
_Static_assert(offsetof(ia_route_def, user_data) == 48, "offsetof(ia_route_def, user_data)");
_Static_assert(sizeof(((ia_route_def *)0)->user_data) == 8, "sizeof(ia_route_def.user_data)");
_Static_assert(offsetof(ia_route_def, max_body_bytes) == 56, "offsetof(ia_route_def, max_body_bytes)");
_Static_assert(sizeof(((ia_route_def *)0)->max_body_bytes) == 8, "sizeof(ia_route_def.max_body_bytes)");
_Static_assert(offsetof(ia_route_def, success_status) == 64, "offsetof(ia_route_def, success_status)");
_Static_assert(sizeof(((ia_route_def *)0)->success_status) == 4, "sizeof(ia_route_def.success_status)");
_Static_assert(offsetof(ia_route_def, reserved) == 68, "offsetof(ia_route_def, reserved)");
_Static_assert(sizeof(((ia_route_def *)0)->reserved) == 4, "sizeof(ia_route_def.reserved)");
_Static_assert(offsetof(ia_route_def, summary) == 72, "offsetof(ia_route_def, summary)");
_Static_assert(sizeof(((ia_route_def *)0)->summary) == 16, "sizeof(ia_route_def.summary)");
_Static_assert(offsetof(ia_route_def, description) == 88, "offsetof(ia_route_def, description)");
_Static_assert(sizeof(((ia_route_def *)0)->description) == 16, "sizeof(ia_route_def.description)");
_Static_assert(offsetof(ia_route_def, tag) == 104, "offsetof(ia_route_def, tag)");
_Static_assert(sizeof(((ia_route_def *)0)->tag) == 16, "sizeof(ia_route_def.tag)");
_Static_assert(offsetof(ia_route_def, request_schema) == 120, "offsetof(ia_route_def, request_schema)");
_Static_assert(sizeof(((ia_route_def *)0)->request_schema) == 16, "sizeof(ia_route_def.request_schema)");
_Static_assert(offsetof(ia_route_def, response_schema) == 136, "offsetof(ia_route_def, response_schema)");
_Static_assert(sizeof(((ia_route_def *)0)->response_schema) == 16, "sizeof(ia_route_def.response_schema)");

/* ia_middleware_def */
_Static_assert(sizeof(ia_middleware_def) >= 48, "sizeof(ia_middleware_def) shrank below its v1.0 size");
_Static_assert(offsetof(ia_middleware_def, struct_size) == 0, "offsetof(ia_middleware_def, struct_size)");
_Static_assert(sizeof(((ia_middleware_def *)0)->struct_size) == 4, "sizeof(ia_middleware_def.struct_size)");
_Static_assert(offsetof(ia_middleware_def, flags) == 4, "offsetof(ia_middleware_def, flags)");
_Static_assert(sizeof(((ia_middleware_def *)0)->flags) == 4, "sizeof(ia_middleware_def.flags)");
_Static_assert(offsetof(ia_middleware_def, order) == 8, "offsetof(ia_middleware_def, order)");
_Static_assert(sizeof(((ia_middleware_def *)0)->order) == 4, "sizeof(ia_middleware_def.order)");
_Static_assert(offsetof(ia_middleware_def, reserved) == 12, "offsetof(ia_middleware_def, reserved)");
_Static_assert(sizeof(((ia_middleware_def *)0)->reserved) == 4, "sizeof(ia_middleware_def.reserved)");
_Static_assert(offsetof(ia_middleware_def, name) == 16, "offsetof(ia_middleware_def, name)");
_Static_assert(sizeof(((ia_middleware_def *)0)->name) == 16, "sizeof(ia_middleware_def.name)");
_Static_assert(offsetof(ia_middleware_def, run) == 32, "offsetof(ia_middleware_def, run)");
_Static_assert(sizeof(((ia_middleware_def *)0)->run) == 8, "sizeof(ia_middleware_def.run)");
_Static_assert(offsetof(ia_middleware_def, user_data) == 40, "offsetof(ia_middleware_def, user_data)");
_Static_assert(sizeof(((ia_middleware_def *)0)->user_data) == 8, "sizeof(ia_middleware_def.user_data)");

/* ia_cli_command_def */
_Static_assert(sizeof(ia_cli_command_def) >= 72, "sizeof(ia_cli_command_def) shrank below its v1.0 size");
_Static_assert(offsetof(ia_cli_command_def, struct_size) == 0, "offsetof(ia_cli_command_def, struct_size)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->struct_size) == 4, "sizeof(ia_cli_command_def.struct_size)");
_Static_assert(offsetof(ia_cli_command_def, flags) == 4, "offsetof(ia_cli_command_def, flags)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->flags) == 4, "sizeof(ia_cli_command_def.flags)");
_Static_assert(offsetof(ia_cli_command_def, name) == 8, "offsetof(ia_cli_command_def, name)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->name) == 16, "sizeof(ia_cli_command_def.name)");
_Static_assert(offsetof(ia_cli_command_def, summary) == 24, "offsetof(ia_cli_command_def, summary)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->summary) == 16, "sizeof(ia_cli_command_def.summary)");
_Static_assert(offsetof(ia_cli_command_def, usage) == 40, "offsetof(ia_cli_command_def, usage)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->usage) == 16, "sizeof(ia_cli_command_def.usage)");
_Static_assert(offsetof(ia_cli_command_def, run) == 56, "offsetof(ia_cli_command_def, run)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->run) == 8, "sizeof(ia_cli_command_def.run)");
_Static_assert(offsetof(ia_cli_command_def, user_data) == 64, "offsetof(ia_cli_command_def, user_data)");
_Static_assert(sizeof(((ia_cli_command_def *)0)->user_data) == 8, "sizeof(ia_cli_command_def.user_data)");

/* ia_principal */
_Static_assert(sizeof(ia_principal) >= 48, "sizeof(ia_principal) shrank below its v1.0 size");
_Static_assert(offsetof(ia_principal, struct_size) == 0, "offsetof(ia_principal, struct_size)");
_Static_assert(sizeof(((ia_principal *)0)->struct_size) == 4, "sizeof(ia_principal.struct_size)");
_Static_assert(offsetof(ia_principal, flags) == 4, "offsetof(ia_principal, flags)");
_Static_assert(sizeof(((ia_principal *)0)->flags) == 4, "sizeof(ia_principal.flags)");
_Static_assert(offsetof(ia_principal, user_id) == 8, "offsetof(ia_principal, user_id)");
_Static_assert(sizeof(((ia_principal *)0)->user_id) == 8, "sizeof(ia_principal.user_id)");
_Static_assert(offsetof(ia_principal, handle) == 16, "offsetof(ia_principal, handle)");
_Static_assert(sizeof(((ia_principal *)0)->handle) == 16, "sizeof(ia_principal.handle)");
_Static_assert(offsetof(ia_principal, role) == 32, "offsetof(ia_principal, role)");
_Static_assert(sizeof(((ia_principal *)0)->role) == 16, "sizeof(ia_principal.role)");

/* ia_metric_def */
_Static_assert(sizeof(ia_metric_def) >= 80, "sizeof(ia_metric_def) shrank below its v1.0 size");
_Static_assert(offsetof(ia_metric_def, struct_size) == 0, "offsetof(ia_metric_def, struct_size)");
_Static_assert(sizeof(((ia_metric_def *)0)->struct_size) == 4, "sizeof(ia_metric_def.struct_size)");
_Static_assert(offsetof(ia_metric_def, kind) == 4, "offsetof(ia_metric_def, kind)");
_Static_assert(sizeof(((ia_metric_def *)0)->kind) == 4, "sizeof(ia_metric_def.kind)");
_Static_assert(offsetof(ia_metric_def, name) == 8, "offsetof(ia_metric_def, name)");
_Static_assert(sizeof(((ia_metric_def *)0)->name) == 16, "sizeof(ia_metric_def.name)");
_Static_assert(offsetof(ia_metric_def, help) == 24, "offsetof(ia_metric_def, help)");
_Static_assert(sizeof(((ia_metric_def *)0)->help) == 16, "sizeof(ia_metric_def.help)");
_Static_assert(offsetof(ia_metric_def, label_names) == 40, "offsetof(ia_metric_def, label_names)");
_Static_assert(sizeof(((ia_metric_def *)0)->label_names) == 8, "sizeof(ia_metric_def.label_names)");
_Static_assert(offsetof(ia_metric_def, label_values) == 48, "offsetof(ia_metric_def, label_values)");
_Static_assert(sizeof(((ia_metric_def *)0)->label_values) == 8, "sizeof(ia_metric_def.label_values)");
_Static_assert(offsetof(ia_metric_def, label_count) == 56, "offsetof(ia_metric_def, label_count)");
_Static_assert(sizeof(((ia_metric_def *)0)->label_count) == 8, "sizeof(ia_metric_def.label_count)");
_Static_assert(offsetof(ia_metric_def, buckets) == 64, "offsetof(ia_metric_def, buckets)");
_Static_assert(sizeof(((ia_metric_def *)0)->buckets) == 8, "sizeof(ia_metric_def.buckets)");
_Static_assert(offsetof(ia_metric_def, bucket_count) == 72, "offsetof(ia_metric_def, bucket_count)");
_Static_assert(sizeof(((ia_metric_def *)0)->bucket_count) == 8, "sizeof(ia_metric_def.bucket_count)");

/* ia_host_api */
_Static_assert(sizeof(ia_host_api) >= 288, "sizeof(ia_host_api) shrank below its v1.0 size");
_Static_assert(offsetof(ia_host_api, struct_size) == 0, "offsetof(ia_host_api, struct_size)");
_Static_assert(sizeof(((ia_host_api *)0)->struct_size) == 4, "sizeof(ia_host_api.struct_size)");
_Static_assert(offsetof(ia_host_api, abi_major) == 4, "offsetof(ia_host_api, abi_major)");
_Static_assert(sizeof(((ia_host_api *)0)->abi_major) == 2, "sizeof(ia_host_api.abi_major)");
_Static_assert(offsetof(ia_host_api, abi_minor) == 6, "offsetof(ia_host_api, abi_minor)");
_Static_assert(sizeof(((ia_host_api *)0)->abi_minor) == 2, "sizeof(ia_host_api.abi_minor)");
_Static_assert(offsetof(ia_host_api, log) == 8, "offsetof(ia_host_api, log)");
_Static_assert(sizeof(((ia_host_api *)0)->log) == 8, "sizeof(ia_host_api.log)");
_Static_assert(offsetof(ia_host_api, log_enabled) == 16, "offsetof(ia_host_api, log_enabled)");
_Static_assert(sizeof(((ia_host_api *)0)->log_enabled) == 8, "sizeof(ia_host_api.log_enabled)");
_Static_assert(offsetof(ia_host_api, config_string) == 24, "offsetof(ia_host_api, config_string)");
_Static_assert(sizeof(((ia_host_api *)0)->config_string) == 8, "sizeof(ia_host_api.config_string)");
_Static_assert(offsetof(ia_host_api, config_int) == 32, "offsetof(ia_host_api, config_int)");
_Static_assert(sizeof(((ia_host_api *)0)->config_int) == 8, "sizeof(ia_host_api.config_int)");
_Static_assert(offsetof(ia_host_api, config_double) == 40, "offsetof(ia_host_api, config_double)");
_Static_assert(sizeof(((ia_host_api *)0)->config_double) == 8, "sizeof(ia_host_api.config_double)");
_Static_assert(offsetof(ia_host_api, config_bool) == 48, "offsetof(ia_host_api, config_bool)");
_Static_assert(sizeof(((ia_host_api *)0)->config_bool) == 8, "sizeof(ia_host_api.config_bool)");
_Static_assert(offsetof(ia_host_api, config_json) == 56, "offsetof(ia_host_api, config_json)");
_Static_assert(sizeof(((ia_host_api *)0)->config_json) == 8, "sizeof(ia_host_api.config_json)");
_Static_assert(offsetof(ia_host_api, register_route) == 64, "offsetof(ia_host_api, register_route)");
_Static_assert(sizeof(((ia_host_api *)0)->register_route) == 8, "sizeof(ia_host_api.register_route)");
_Static_assert(offsetof(ia_host_api, register_middleware) == 72, "offsetof(ia_host_api, register_middleware)");
_Static_assert(sizeof(((ia_host_api *)0)->register_middleware) == 8, "sizeof(ia_host_api.register_middleware)");
_Static_assert(offsetof(ia_host_api, register_cli_command) == 80, "offsetof(ia_host_api, register_cli_command)");
_Static_assert(sizeof(((ia_host_api *)0)->register_cli_command) == 8, "sizeof(ia_host_api.register_cli_command)");
_Static_assert(offsetof(ia_host_api, request_method) == 88, "offsetof(ia_host_api, request_method)");
_Static_assert(sizeof(((ia_host_api *)0)->request_method) == 8, "sizeof(ia_host_api.request_method)");
_Static_assert(offsetof(ia_host_api, request_path) == 96, "offsetof(ia_host_api, request_path)");
_Static_assert(sizeof(((ia_host_api *)0)->request_path) == 8, "sizeof(ia_host_api.request_path)");
_Static_assert(offsetof(ia_host_api, request_query) == 104, "offsetof(ia_host_api, request_query)");
_Static_assert(sizeof(((ia_host_api *)0)->request_query) == 8, "sizeof(ia_host_api.request_query)");
_Static_assert(offsetof(ia_host_api, request_query_param) == 112, "offsetof(ia_host_api, request_query_param)");
_Static_assert(sizeof(((ia_host_api *)0)->request_query_param) == 8, "sizeof(ia_host_api.request_query_param)");
_Static_assert(offsetof(ia_host_api, request_path_param) == 120, "offsetof(ia_host_api, request_path_param)");
_Static_assert(sizeof(((ia_host_api *)0)->request_path_param) == 8, "sizeof(ia_host_api.request_path_param)");
_Static_assert(offsetof(ia_host_api, request_header) == 128, "offsetof(ia_host_api, request_header)");
_Static_assert(sizeof(((ia_host_api *)0)->request_header) == 8, "sizeof(ia_host_api.request_header)");
_Static_assert(offsetof(ia_host_api, request_header_count) == 136, "offsetof(ia_host_api, request_header_count)");
_Static_assert(sizeof(((ia_host_api *)0)->request_header_count) == 8, "sizeof(ia_host_api.request_header_count)");
_Static_assert(offsetof(ia_host_api, request_header_at) == 144, "offsetof(ia_host_api, request_header_at)");
_Static_assert(sizeof(((ia_host_api *)0)->request_header_at) == 8, "sizeof(ia_host_api.request_header_at)");
_Static_assert(offsetof(ia_host_api, request_body) == 152, "offsetof(ia_host_api, request_body)");
_Static_assert(sizeof(((ia_host_api *)0)->request_body) == 8, "sizeof(ia_host_api.request_body)");
_Static_assert(offsetof(ia_host_api, request_peer) == 160, "offsetof(ia_host_api, request_peer)");
_Static_assert(sizeof(((ia_host_api *)0)->request_peer) == 8, "sizeof(ia_host_api.request_peer)");
_Static_assert(offsetof(ia_host_api, request_id) == 168, "offsetof(ia_host_api, request_id)");
_Static_assert(sizeof(((ia_host_api *)0)->request_id) == 8, "sizeof(ia_host_api.request_id)");
_Static_assert(offsetof(ia_host_api, request_principal) == 176, "offsetof(ia_host_api, request_principal)");
_Static_assert(sizeof(((ia_host_api *)0)->request_principal) == 8, "sizeof(ia_host_api.request_principal)");
_Static_assert(offsetof(ia_host_api, request_set_principal) == 184, "offsetof(ia_host_api, request_set_principal)");
_Static_assert(sizeof(((ia_host_api *)0)->request_set_principal) == 8, "sizeof(ia_host_api.request_set_principal)");
_Static_assert(offsetof(ia_host_api, request_set_attribute) == 192, "offsetof(ia_host_api, request_set_attribute)");
_Static_assert(sizeof(((ia_host_api *)0)->request_set_attribute) == 8, "sizeof(ia_host_api.request_set_attribute)");
_Static_assert(offsetof(ia_host_api, request_attribute) == 200, "offsetof(ia_host_api, request_attribute)");
_Static_assert(sizeof(((ia_host_api *)0)->request_attribute) == 8, "sizeof(ia_host_api.request_attribute)");
_Static_assert(offsetof(ia_host_api, request_log) == 208, "offsetof(ia_host_api, request_log)");
_Static_assert(sizeof(((ia_host_api *)0)->request_log) == 8, "sizeof(ia_host_api.request_log)");
_Static_assert(offsetof(ia_host_api, response_set_status) == 216, "offsetof(ia_host_api, response_set_status)");
_Static_assert(sizeof(((ia_host_api *)0)->response_set_status) == 8, "sizeof(ia_host_api.response_set_status)");
_Static_assert(offsetof(ia_host_api, response_add_header) == 224, "offsetof(ia_host_api, response_add_header)");
_Static_assert(sizeof(((ia_host_api *)0)->response_add_header) == 8, "sizeof(ia_host_api.response_add_header)");
_Static_assert(offsetof(ia_host_api, response_set_body) == 232, "offsetof(ia_host_api, response_set_body)");
_Static_assert(sizeof(((ia_host_api *)0)->response_set_body) == 8, "sizeof(ia_host_api.response_set_body)");
_Static_assert(offsetof(ia_host_api, response_append_body) == 240, "offsetof(ia_host_api, response_append_body)");
_Static_assert(sizeof(((ia_host_api *)0)->response_append_body) == 8, "sizeof(ia_host_api.response_append_body)");
_Static_assert(offsetof(ia_host_api, request_complete) == 248, "offsetof(ia_host_api, request_complete)");
_Static_assert(sizeof(((ia_host_api *)0)->request_complete) == 8, "sizeof(ia_host_api.request_complete)");
_Static_assert(offsetof(ia_host_api, metric_register) == 256, "offsetof(ia_host_api, metric_register)");
_Static_assert(sizeof(((ia_host_api *)0)->metric_register) == 8, "sizeof(ia_host_api.metric_register)");
_Static_assert(offsetof(ia_host_api, metric_add) == 264, "offsetof(ia_host_api, metric_add)");
_Static_assert(sizeof(((ia_host_api *)0)->metric_add) == 8, "sizeof(ia_host_api.metric_add)");
_Static_assert(offsetof(ia_host_api, metric_set) == 272, "offsetof(ia_host_api, metric_set)");
_Static_assert(sizeof(((ia_host_api *)0)->metric_set) == 8, "sizeof(ia_host_api.metric_set)");
_Static_assert(offsetof(ia_host_api, metric_observe) == 280, "offsetof(ia_host_api, metric_observe)");
_Static_assert(sizeof(((ia_host_api *)0)->metric_observe) == 8, "sizeof(ia_host_api.metric_observe)");

#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.0 PINS ------------------------------------------------------------------ */

/* ---- ABI 1.1 PINS ----------------------------------------------------------------------
 * What 1.1 appended (data services). Same rule: later minors append, these stay true. Only
 * this file carries them: the frozen plugin in Tests/Plugins/abi-v1.0 predates them.
 * ---------------------------------------------------------------------------------------- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 1, "IA_ABI_MINOR");
_Static_assert(IA_ERR_DATABASE == -9, "IA_ERR_DATABASE");
_Static_assert(IA_ERR_UNAVAILABLE == -10, "IA_ERR_UNAVAILABLE");
_Static_assert(IA_ERR_REJECTED == -11, "IA_ERR_REJECTED");
_Static_assert(IA_COMMAND_SERIALIZABLE == 1, "IA_COMMAND_SERIALIZABLE");
_Static_assert(IA_DB_NULL == 0, "IA_DB_NULL");
_Static_assert(IA_DB_TEXT == 1, "IA_DB_TEXT");
_Static_assert(IA_DB_BYTES == 2, "IA_DB_BYTES");
_Static_assert(offsetof(ia_error, sqlstate) == 264, "offsetof(ia_error, sqlstate)");
_Static_assert(sizeof(((ia_error *)0)->sqlstate) == 8, "sizeof(ia_error.sqlstate)");
_Static_assert(sizeof(ia_migration_def) >= 48, "sizeof(ia_migration_def)");
_Static_assert(offsetof(ia_migration_def, struct_size) == 0, "offsetof(ia_migration_def, struct_size)");
_Static_assert(sizeof(((ia_migration_def *)0)->struct_size) == 4, "sizeof(ia_migration_def.struct_size)");
_Static_assert(offsetof(ia_migration_def, reserved) == 4, "offsetof(ia_migration_def, reserved)");
_Static_assert(sizeof(((ia_migration_def *)0)->reserved) == 4, "sizeof(ia_migration_def.reserved)");
_Static_assert(offsetof(ia_migration_def, version) == 8, "offsetof(ia_migration_def, version)");
_Static_assert(sizeof(((ia_migration_def *)0)->version) == 8, "sizeof(ia_migration_def.version)");
_Static_assert(offsetof(ia_migration_def, name) == 16, "offsetof(ia_migration_def, name)");
_Static_assert(sizeof(((ia_migration_def *)0)->name) == 16, "sizeof(ia_migration_def.name)");
_Static_assert(offsetof(ia_migration_def, sql) == 32, "offsetof(ia_migration_def, sql)");
_Static_assert(sizeof(((ia_migration_def *)0)->sql) == 16, "sizeof(ia_migration_def.sql)");
_Static_assert(sizeof(ia_command_def) >= 40, "sizeof(ia_command_def)");
_Static_assert(offsetof(ia_command_def, struct_size) == 0, "offsetof(ia_command_def, struct_size)");
_Static_assert(sizeof(((ia_command_def *)0)->struct_size) == 4, "sizeof(ia_command_def.struct_size)");
_Static_assert(offsetof(ia_command_def, flags) == 4, "offsetof(ia_command_def, flags)");
_Static_assert(sizeof(((ia_command_def *)0)->flags) == 4, "sizeof(ia_command_def.flags)");
_Static_assert(offsetof(ia_command_def, name) == 8, "offsetof(ia_command_def, name)");
_Static_assert(sizeof(((ia_command_def *)0)->name) == 16, "sizeof(ia_command_def.name)");
_Static_assert(offsetof(ia_command_def, run) == 24, "offsetof(ia_command_def, run)");
_Static_assert(sizeof(((ia_command_def *)0)->run) == 8, "sizeof(ia_command_def.run)");
_Static_assert(offsetof(ia_command_def, user_data) == 32, "offsetof(ia_command_def, user_data)");
_Static_assert(sizeof(((ia_command_def *)0)->user_data) == 8, "sizeof(ia_command_def.user_data)");
_Static_assert(sizeof(ia_db_param) == 24, "sizeof(ia_db_param): arrays of it cross the ABI");
_Static_assert(offsetof(ia_db_param, type) == 0, "offsetof(ia_db_param, type)");
_Static_assert(sizeof(((ia_db_param *)0)->type) == 4, "sizeof(ia_db_param.type)");
_Static_assert(offsetof(ia_db_param, reserved) == 4, "offsetof(ia_db_param, reserved)");
_Static_assert(sizeof(((ia_db_param *)0)->reserved) == 4, "sizeof(ia_db_param.reserved)");
_Static_assert(offsetof(ia_db_param, value) == 8, "offsetof(ia_db_param, value)");
_Static_assert(sizeof(((ia_db_param *)0)->value) == 16, "sizeof(ia_db_param.value)");
_Static_assert(offsetof(ia_host_api, register_migration) == 288, "offsetof(ia_host_api, register_migration)");
_Static_assert(sizeof(((ia_host_api *)0)->register_migration) == 8, "sizeof(ia_host_api.register_migration)");
_Static_assert(offsetof(ia_host_api, register_command) == 296, "offsetof(ia_host_api, register_command)");
_Static_assert(sizeof(((ia_host_api *)0)->register_command) == 8, "sizeof(ia_host_api.register_command)");
_Static_assert(offsetof(ia_host_api, register_query) == 304, "offsetof(ia_host_api, register_query)");
_Static_assert(sizeof(((ia_host_api *)0)->register_query) == 8, "sizeof(ia_host_api.register_query)");
_Static_assert(offsetof(ia_host_api, dispatch_command) == 312, "offsetof(ia_host_api, dispatch_command)");
_Static_assert(sizeof(((ia_host_api *)0)->dispatch_command) == 8, "sizeof(ia_host_api.dispatch_command)");
_Static_assert(offsetof(ia_host_api, dispatch_query) == 320, "offsetof(ia_host_api, dispatch_query)");
_Static_assert(sizeof(((ia_host_api *)0)->dispatch_query) == 8, "sizeof(ia_host_api.dispatch_query)");
_Static_assert(offsetof(ia_host_api, command_payload) == 328, "offsetof(ia_host_api, command_payload)");
_Static_assert(sizeof(((ia_host_api *)0)->command_payload) == 8, "sizeof(ia_host_api.command_payload)");
_Static_assert(offsetof(ia_host_api, command_set_result) == 336, "offsetof(ia_host_api, command_set_result)");
_Static_assert(sizeof(((ia_host_api *)0)->command_set_result) == 8, "sizeof(ia_host_api.command_set_result)");
_Static_assert(offsetof(ia_host_api, command_fail) == 344, "offsetof(ia_host_api, command_fail)");
_Static_assert(sizeof(((ia_host_api *)0)->command_fail) == 8, "sizeof(ia_host_api.command_fail)");
_Static_assert(offsetof(ia_host_api, command_attempt) == 352, "offsetof(ia_host_api, command_attempt)");
_Static_assert(sizeof(((ia_host_api *)0)->command_attempt) == 8, "sizeof(ia_host_api.command_attempt)");
_Static_assert(offsetof(ia_host_api, command_db) == 360, "offsetof(ia_host_api, command_db)");
_Static_assert(sizeof(((ia_host_api *)0)->command_db) == 8, "sizeof(ia_host_api.command_db)");
_Static_assert(offsetof(ia_host_api, db_execute) == 368, "offsetof(ia_host_api, db_execute)");
_Static_assert(sizeof(((ia_host_api *)0)->db_execute) == 8, "sizeof(ia_host_api.db_execute)");
_Static_assert(offsetof(ia_host_api, db_result_rows) == 376, "offsetof(ia_host_api, db_result_rows)");
_Static_assert(sizeof(((ia_host_api *)0)->db_result_rows) == 8, "sizeof(ia_host_api.db_result_rows)");
_Static_assert(offsetof(ia_host_api, db_result_columns) == 384, "offsetof(ia_host_api, db_result_columns)");
_Static_assert(sizeof(((ia_host_api *)0)->db_result_columns) == 8, "sizeof(ia_host_api.db_result_columns)");
_Static_assert(offsetof(ia_host_api, db_result_column_name) == 392, "offsetof(ia_host_api, db_result_column_name)");
_Static_assert(sizeof(((ia_host_api *)0)->db_result_column_name) == 8, "sizeof(ia_host_api.db_result_column_name)");
_Static_assert(offsetof(ia_host_api, db_result_value) == 400, "offsetof(ia_host_api, db_result_value)");
_Static_assert(sizeof(((ia_host_api *)0)->db_result_value) == 8, "sizeof(ia_host_api.db_result_value)");
_Static_assert(offsetof(ia_host_api, db_result_affected) == 408, "offsetof(ia_host_api, db_result_affected)");
_Static_assert(sizeof(((ia_host_api *)0)->db_result_affected) == 8, "sizeof(ia_host_api.db_result_affected)");
_Static_assert(offsetof(ia_host_api, db_result_free) == 416, "offsetof(ia_host_api, db_result_free)");
_Static_assert(sizeof(((ia_host_api *)0)->db_result_free) == 8, "sizeof(ia_host_api.db_result_free)");
_Static_assert(offsetof(ia_host_api, buffer_view) == 424, "offsetof(ia_host_api, buffer_view)");
_Static_assert(sizeof(((ia_host_api *)0)->buffer_view) == 8, "sizeof(ia_host_api.buffer_view)");
_Static_assert(offsetof(ia_host_api, buffer_free) == 432, "offsetof(ia_host_api, buffer_free)");
_Static_assert(sizeof(((ia_host_api *)0)->buffer_free) == 8, "sizeof(ia_host_api.buffer_free)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.1 PINS ------------------------------------------------------------------ */

/* ---- ABI 1.2 PINS (events) ------------------------------------------------------------- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 2, "IA_ABI_MINOR");
_Static_assert(IA_EVENT_IN_PROCESS == 1, "IA_EVENT_IN_PROCESS");
_Static_assert(sizeof(ia_event) >= 88, "sizeof(ia_event)");
_Static_assert(offsetof(ia_event, struct_size) == 0, "offsetof(ia_event, struct_size)");
_Static_assert(sizeof(((ia_event *)0)->struct_size) == 4, "sizeof(ia_event.struct_size)");
_Static_assert(offsetof(ia_event, attempt) == 4, "offsetof(ia_event, attempt)");
_Static_assert(sizeof(((ia_event *)0)->attempt) == 4, "sizeof(ia_event.attempt)");
_Static_assert(offsetof(ia_event, id) == 8, "offsetof(ia_event, id)");
_Static_assert(sizeof(((ia_event *)0)->id) == 16, "sizeof(ia_event.id)");
_Static_assert(offsetof(ia_event, type) == 24, "offsetof(ia_event, type)");
_Static_assert(sizeof(((ia_event *)0)->type) == 16, "sizeof(ia_event.type)");
_Static_assert(offsetof(ia_event, payload) == 40, "offsetof(ia_event, payload)");
_Static_assert(sizeof(((ia_event *)0)->payload) == 16, "sizeof(ia_event.payload)");
_Static_assert(offsetof(ia_event, occurred_at) == 56, "offsetof(ia_event, occurred_at)");
_Static_assert(sizeof(((ia_event *)0)->occurred_at) == 16, "sizeof(ia_event.occurred_at)");
_Static_assert(offsetof(ia_event, source) == 72, "offsetof(ia_event, source)");
_Static_assert(sizeof(((ia_event *)0)->source) == 16, "sizeof(ia_event.source)");
_Static_assert(sizeof(ia_event_handler_def) >= 64, "sizeof(ia_event_handler_def)");
_Static_assert(offsetof(ia_event_handler_def, struct_size) == 0, "offsetof(ia_event_handler_def, struct_size)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->struct_size) == 4, "sizeof(ia_event_handler_def.struct_size)");
_Static_assert(offsetof(ia_event_handler_def, flags) == 4, "offsetof(ia_event_handler_def, flags)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->flags) == 4, "sizeof(ia_event_handler_def.flags)");
_Static_assert(offsetof(ia_event_handler_def, name) == 8, "offsetof(ia_event_handler_def, name)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->name) == 16, "sizeof(ia_event_handler_def.name)");
_Static_assert(offsetof(ia_event_handler_def, event_type) == 24, "offsetof(ia_event_handler_def, event_type)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->event_type) == 16, "sizeof(ia_event_handler_def.event_type)");
_Static_assert(offsetof(ia_event_handler_def, handle) == 40, "offsetof(ia_event_handler_def, handle)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->handle) == 8, "sizeof(ia_event_handler_def.handle)");
_Static_assert(offsetof(ia_event_handler_def, user_data) == 48, "offsetof(ia_event_handler_def, user_data)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->user_data) == 8, "sizeof(ia_event_handler_def.user_data)");
_Static_assert(offsetof(ia_event_handler_def, max_attempts) == 56, "offsetof(ia_event_handler_def, max_attempts)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->max_attempts) == 4, "sizeof(ia_event_handler_def.max_attempts)");
_Static_assert(offsetof(ia_event_handler_def, reserved) == 60, "offsetof(ia_event_handler_def, reserved)");
_Static_assert(sizeof(((ia_event_handler_def *)0)->reserved) == 4, "sizeof(ia_event_handler_def.reserved)");
_Static_assert(offsetof(ia_host_api, event_raise) == 440, "offsetof(ia_host_api, event_raise)");
_Static_assert(sizeof(((ia_host_api *)0)->event_raise) == 8, "sizeof(ia_host_api.event_raise)");
_Static_assert(offsetof(ia_host_api, register_event_handler) == 448, "offsetof(ia_host_api, register_event_handler)");
_Static_assert(sizeof(((ia_host_api *)0)->register_event_handler) == 8, "sizeof(ia_host_api.register_event_handler)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.2 PINS ------------------------------------------------------------------ */

/* ---- ABI 1.3 PINS (jobs) --------------------------------------------------------------- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 3, "IA_ABI_MINOR");
_Static_assert(sizeof(ia_job_run) >= 40, "sizeof(ia_job_run)");
_Static_assert(offsetof(ia_job_run, struct_size) == 0, "offsetof(ia_job_run, struct_size)");
_Static_assert(sizeof(((ia_job_run *)0)->struct_size) == 4, "sizeof(ia_job_run.struct_size)");
_Static_assert(offsetof(ia_job_run, reserved) == 4, "offsetof(ia_job_run, reserved)");
_Static_assert(sizeof(((ia_job_run *)0)->reserved) == 4, "sizeof(ia_job_run.reserved)");
_Static_assert(offsetof(ia_job_run, job) == 8, "offsetof(ia_job_run, job)");
_Static_assert(sizeof(((ia_job_run *)0)->job) == 16, "sizeof(ia_job_run.job)");
_Static_assert(offsetof(ia_job_run, started_at_ms) == 24, "offsetof(ia_job_run, started_at_ms)");
_Static_assert(sizeof(((ia_job_run *)0)->started_at_ms) == 8, "sizeof(ia_job_run.started_at_ms)");
_Static_assert(offsetof(ia_job_run, interval_ms) == 32, "offsetof(ia_job_run, interval_ms)");
_Static_assert(sizeof(((ia_job_run *)0)->interval_ms) == 8, "sizeof(ia_job_run.interval_ms)");
_Static_assert(sizeof(ia_job_def) >= 48, "sizeof(ia_job_def)");
_Static_assert(offsetof(ia_job_def, struct_size) == 0, "offsetof(ia_job_def, struct_size)");
_Static_assert(sizeof(((ia_job_def *)0)->struct_size) == 4, "sizeof(ia_job_def.struct_size)");
_Static_assert(offsetof(ia_job_def, flags) == 4, "offsetof(ia_job_def, flags)");
_Static_assert(sizeof(((ia_job_def *)0)->flags) == 4, "sizeof(ia_job_def.flags)");
_Static_assert(offsetof(ia_job_def, name) == 8, "offsetof(ia_job_def, name)");
_Static_assert(sizeof(((ia_job_def *)0)->name) == 16, "sizeof(ia_job_def.name)");
_Static_assert(offsetof(ia_job_def, interval_ms) == 24, "offsetof(ia_job_def, interval_ms)");
_Static_assert(sizeof(((ia_job_def *)0)->interval_ms) == 8, "sizeof(ia_job_def.interval_ms)");
_Static_assert(offsetof(ia_job_def, run) == 32, "offsetof(ia_job_def, run)");
_Static_assert(sizeof(((ia_job_def *)0)->run) == 8, "sizeof(ia_job_def.run)");
_Static_assert(offsetof(ia_job_def, user_data) == 40, "offsetof(ia_job_def, user_data)");
_Static_assert(sizeof(((ia_job_def *)0)->user_data) == 8, "sizeof(ia_job_def.user_data)");
_Static_assert(offsetof(ia_host_api, register_job) == 456, "offsetof(ia_host_api, register_job)");
_Static_assert(sizeof(((ia_host_api *)0)->register_job) == 8, "sizeof(ia_host_api.register_job)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.3 PINS ------------------------------------------------------------------ */

/* ---- ABI 1.4 PINS (blob storage) ---- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 4, "IA_ABI_MINOR");
_Static_assert(sizeof(ia_blob_store_def) >= 64, "sizeof(ia_blob_store_def)");
_Static_assert(offsetof(ia_blob_store_def, struct_size) == 0, "offsetof(ia_blob_store_def, struct_size)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->struct_size) == 4, "sizeof(ia_blob_store_def.struct_size)");
_Static_assert(offsetof(ia_blob_store_def, flags) == 4, "offsetof(ia_blob_store_def, flags)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->flags) == 4, "sizeof(ia_blob_store_def.flags)");
_Static_assert(offsetof(ia_blob_store_def, name) == 8, "offsetof(ia_blob_store_def, name)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->name) == 16, "sizeof(ia_blob_store_def.name)");
_Static_assert(offsetof(ia_blob_store_def, put) == 24, "offsetof(ia_blob_store_def, put)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->put) == 8, "sizeof(ia_blob_store_def.put)");
_Static_assert(offsetof(ia_blob_store_def, get) == 32, "offsetof(ia_blob_store_def, get)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->get) == 8, "sizeof(ia_blob_store_def.get)");
_Static_assert(offsetof(ia_blob_store_def, remove) == 40, "offsetof(ia_blob_store_def, remove)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->remove) == 8, "sizeof(ia_blob_store_def.remove)");
_Static_assert(offsetof(ia_blob_store_def, public_url) == 48, "offsetof(ia_blob_store_def, public_url)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->public_url) == 8, "sizeof(ia_blob_store_def.public_url)");
_Static_assert(offsetof(ia_blob_store_def, user_data) == 56, "offsetof(ia_blob_store_def, user_data)");
_Static_assert(sizeof(((ia_blob_store_def *)0)->user_data) == 8, "sizeof(ia_blob_store_def.user_data)");
_Static_assert(offsetof(ia_host_api, register_blob_store) == 464, "offsetof(ia_host_api, register_blob_store)");
_Static_assert(sizeof(((ia_host_api *)0)->register_blob_store) == 8, "sizeof(ia_host_api.register_blob_store)");
_Static_assert(offsetof(ia_host_api, buffer_create) == 472, "offsetof(ia_host_api, buffer_create)");
_Static_assert(sizeof(((ia_host_api *)0)->buffer_create) == 8, "sizeof(ia_host_api.buffer_create)");
_Static_assert(offsetof(ia_host_api, blob_put) == 480, "offsetof(ia_host_api, blob_put)");
_Static_assert(sizeof(((ia_host_api *)0)->blob_put) == 8, "sizeof(ia_host_api.blob_put)");
_Static_assert(offsetof(ia_host_api, blob_get) == 488, "offsetof(ia_host_api, blob_get)");
_Static_assert(sizeof(((ia_host_api *)0)->blob_get) == 8, "sizeof(ia_host_api.blob_get)");
_Static_assert(offsetof(ia_host_api, blob_delete) == 496, "offsetof(ia_host_api, blob_delete)");
_Static_assert(sizeof(((ia_host_api *)0)->blob_delete) == 8, "sizeof(ia_host_api.blob_delete)");
_Static_assert(offsetof(ia_host_api, blob_url) == 504, "offsetof(ia_host_api, blob_url)");
_Static_assert(sizeof(((ia_host_api *)0)->blob_url) == 8, "sizeof(ia_host_api.blob_url)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.4 PINS ---- */

/* ---- ABI 1.5 PINS (Redis and the cache) ---- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 5, "IA_ABI_MINOR");
_Static_assert(IA_REDIS_STRING == 1, "IA_REDIS_STRING");
_Static_assert(IA_REDIS_INTEGER == 2, "IA_REDIS_INTEGER");
_Static_assert(IA_REDIS_ARRAY == 3, "IA_REDIS_ARRAY");
_Static_assert(IA_REDIS_NIL == 4, "IA_REDIS_NIL");
_Static_assert(IA_REDIS_STATUS == 5, "IA_REDIS_STATUS");
_Static_assert(IA_REDIS_ERROR == 6, "IA_REDIS_ERROR");
_Static_assert(IA_REDIS_DOUBLE == 7, "IA_REDIS_DOUBLE");
_Static_assert(IA_REDIS_BOOL == 8, "IA_REDIS_BOOL");
_Static_assert(offsetof(ia_host_api, redis_command) == 512, "offsetof(ia_host_api, redis_command)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_command) == 8, "sizeof(ia_host_api.redis_command)");
_Static_assert(offsetof(ia_host_api, redis_pipeline) == 520, "offsetof(ia_host_api, redis_pipeline)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_pipeline) == 8, "sizeof(ia_host_api.redis_pipeline)");
_Static_assert(offsetof(ia_host_api, redis_reply_type) == 528, "offsetof(ia_host_api, redis_reply_type)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_reply_type) == 8, "sizeof(ia_host_api.redis_reply_type)");
_Static_assert(offsetof(ia_host_api, redis_reply_string) == 536, "offsetof(ia_host_api, redis_reply_string)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_reply_string) == 8, "sizeof(ia_host_api.redis_reply_string)");
_Static_assert(offsetof(ia_host_api, redis_reply_integer) == 544, "offsetof(ia_host_api, redis_reply_integer)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_reply_integer) == 8, "sizeof(ia_host_api.redis_reply_integer)");
_Static_assert(offsetof(ia_host_api, redis_reply_count) == 552, "offsetof(ia_host_api, redis_reply_count)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_reply_count) == 8, "sizeof(ia_host_api.redis_reply_count)");
_Static_assert(offsetof(ia_host_api, redis_reply_element) == 560, "offsetof(ia_host_api, redis_reply_element)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_reply_element) == 8, "sizeof(ia_host_api.redis_reply_element)");
_Static_assert(offsetof(ia_host_api, redis_reply_free) == 568, "offsetof(ia_host_api, redis_reply_free)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_reply_free) == 8, "sizeof(ia_host_api.redis_reply_free)");
_Static_assert(offsetof(ia_host_api, redis_subscribe) == 576, "offsetof(ia_host_api, redis_subscribe)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_subscribe) == 8, "sizeof(ia_host_api.redis_subscribe)");
_Static_assert(offsetof(ia_host_api, cache_set) == 584, "offsetof(ia_host_api, cache_set)");
_Static_assert(sizeof(((ia_host_api *)0)->cache_set) == 8, "sizeof(ia_host_api.cache_set)");
_Static_assert(offsetof(ia_host_api, cache_get) == 592, "offsetof(ia_host_api, cache_get)");
_Static_assert(sizeof(((ia_host_api *)0)->cache_get) == 8, "sizeof(ia_host_api.cache_get)");
_Static_assert(offsetof(ia_host_api, cache_delete) == 600, "offsetof(ia_host_api, cache_delete)");
_Static_assert(sizeof(((ia_host_api *)0)->cache_delete) == 8, "sizeof(ia_host_api.cache_delete)");
_Static_assert(offsetof(ia_host_api, cache_invalidate_tag) == 608, "offsetof(ia_host_api, cache_invalidate_tag)");
_Static_assert(sizeof(((ia_host_api *)0)->cache_invalidate_tag) == 8, "sizeof(ia_host_api.cache_invalidate_tag)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.5 PINS ---- */

/* ---- ABI 1.6 PINS ---- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 6, "IA_ABI_MINOR");
_Static_assert(offsetof(ia_host_api, command_fail_details) == 616, "offsetof(ia_host_api, command_fail_details)");
_Static_assert(sizeof(((ia_host_api *)0)->command_fail_details) == 8, "sizeof(ia_host_api.command_fail_details)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.6 PINS ---- */

/* ---- ABI 1.7 PINS ---- */
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ABI_MINOR >= 7, "IA_ABI_MINOR");
_Static_assert(IA_WOULD_BLOCK == 3, "IA_WOULD_BLOCK");
_Static_assert(offsetof(ia_host_api, request_can_block) == 624, "offsetof(ia_host_api, request_can_block)");
_Static_assert(sizeof(((ia_host_api *)0)->request_can_block) == 8, "sizeof(ia_host_api.request_can_block)");
_Static_assert(offsetof(ia_host_api, cache_peek) == 632, "offsetof(ia_host_api, cache_peek)");
_Static_assert(offsetof(ia_route_def, request_content_type) == 152, "offsetof(ia_route_def, request_content_type)");
_Static_assert(sizeof(ia_route_def) >= 168, "sizeof(ia_route_def) in 1.7 (1.8 appended fields)");
_Static_assert(sizeof(((ia_host_api *)0)->cache_peek) == 8, "sizeof(ia_host_api.cache_peek)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.7 PINS ---- */

/* ---- ABI 1.8 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 8, "IA_ABI_MINOR");
_Static_assert(IA_ERR_REDIS_REPLY == -12, "IA_ERR_REDIS_REPLY");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(IA_ROUTE_MULTIPART == (1u << 4), "IA_ROUTE_MULTIPART");
_Static_assert(IA_PART_HAS_FILENAME == 1u, "IA_PART_HAS_FILENAME");
_Static_assert(IA_PART_SPOOLED == 2u, "IA_PART_SPOOLED");
_Static_assert(offsetof(ia_route_def, multipart_max_parts) == 168, "offsetof(ia_route_def, multipart_max_parts)");
_Static_assert(offsetof(ia_route_def, reserved2) == 172, "offsetof(ia_route_def, reserved2)");
_Static_assert(offsetof(ia_route_def, multipart_max_part_bytes) == 176, "offsetof(ia_route_def, multipart_max_part_bytes)");
_Static_assert(offsetof(ia_route_def, multipart_max_part_bytes) + sizeof(uint64_t) == 184, "the end of ia_route_def in 1.8");
_Static_assert(offsetof(ia_multipart_part, struct_size) == 0, "offsetof(ia_multipart_part, struct_size)");
_Static_assert(offsetof(ia_multipart_part, flags) == 4, "offsetof(ia_multipart_part, flags)");
_Static_assert(offsetof(ia_multipart_part, name) == 8, "offsetof(ia_multipart_part, name)");
_Static_assert(offsetof(ia_multipart_part, filename) == 24, "offsetof(ia_multipart_part, filename)");
_Static_assert(offsetof(ia_multipart_part, content_type) == 40, "offsetof(ia_multipart_part, content_type)");
_Static_assert(offsetof(ia_multipart_part, size) == 56, "offsetof(ia_multipart_part, size)");
_Static_assert(offsetof(ia_multipart_part, data) == 64, "offsetof(ia_multipart_part, data)");
_Static_assert(offsetof(ia_multipart_part, path) == 72, "offsetof(ia_multipart_part, path)");
_Static_assert(sizeof(ia_multipart_part) == 88, "sizeof(ia_multipart_part)");
_Static_assert(offsetof(ia_host_api, request_part_count) == 640, "offsetof(ia_host_api, request_part_count)");
_Static_assert(sizeof(((ia_host_api *)0)->request_part_count) == 8, "sizeof(ia_host_api.request_part_count)");
_Static_assert(offsetof(ia_host_api, request_part_at) == 648, "offsetof(ia_host_api, request_part_at)");
_Static_assert(sizeof(((ia_host_api *)0)->request_part_at) == 8, "sizeof(ia_host_api.request_part_at)");
_Static_assert(offsetof(ia_host_api, request_part_bytes) == 656, "offsetof(ia_host_api, request_part_bytes)");
_Static_assert(sizeof(((ia_host_api *)0)->request_part_bytes) == 8, "sizeof(ia_host_api.request_part_bytes)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.8 PINS ---- */

/* ---- ABI 1.9 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 9, "IA_ABI_MINOR");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(offsetof(ia_host_api, request_route) == 664, "offsetof(ia_host_api, request_route)");
_Static_assert(sizeof(((ia_host_api *)0)->request_route) == 8, "sizeof(ia_host_api.request_route)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.9 PINS ---- */

/* ---- ABI 1.10 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 10, "IA_ABI_MINOR");
_Static_assert(IA_MIDDLEWARE_BEFORE_BODY == 2u, "IA_MIDDLEWARE_BEFORE_BODY");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(offsetof(ia_host_api, response_send_file) == 672, "offsetof(ia_host_api, response_send_file)");
_Static_assert(sizeof(((ia_host_api *)0)->response_send_file) == 8, "sizeof(ia_host_api.response_send_file)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.10 PINS ---- */

/* ---- ABI 1.11 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 11, "IA_ABI_MINOR");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(offsetof(ia_route_def, metadata) == 184, "offsetof(ia_route_def, metadata)");
_Static_assert(sizeof(ia_route_def) >= 200, "sizeof(ia_route_def) in 1.11 (1.13 appended body_schema)");
_Static_assert(offsetof(ia_host_api, redis_command_async) == 680, "offsetof(ia_host_api, redis_command_async)");
_Static_assert(offsetof(ia_host_api, redis_script_register) == 688, "offsetof(ia_host_api, redis_script_register)");
_Static_assert(offsetof(ia_host_api, redis_script_async) == 696, "offsetof(ia_host_api, redis_script_async)");
_Static_assert(offsetof(ia_host_api, request_resume) == 704, "offsetof(ia_host_api, request_resume)");
_Static_assert(offsetof(ia_host_api, request_route_metadata) == 712, "offsetof(ia_host_api, request_route_metadata)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.11 PINS ---- */

/* ---- ABI 1.12 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 12, "IA_ABI_MINOR");
_Static_assert(IA_STREAM_SSE == 1, "IA_STREAM_SSE");
_Static_assert(IA_STREAM_WEBSOCKET == 2, "IA_STREAM_WEBSOCKET");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(offsetof(ia_host_api, stream_open) == 720, "offsetof(ia_host_api, stream_open)");
_Static_assert(offsetof(ia_host_api, stream_send) == 728, "offsetof(ia_host_api, stream_send)");
_Static_assert(offsetof(ia_host_api, stream_close) == 736, "offsetof(ia_host_api, stream_close)");
_Static_assert(offsetof(ia_host_api, stream_subscribe) == 744, "offsetof(ia_host_api, stream_subscribe)");
_Static_assert(offsetof(ia_host_api, stream_unsubscribe) == 752, "offsetof(ia_host_api, stream_unsubscribe)");
_Static_assert(offsetof(ia_host_api, channel_publish) == 760, "offsetof(ia_host_api, channel_publish)");
_Static_assert(offsetof(ia_host_api, channel_close) == 768, "offsetof(ia_host_api, channel_close)");
_Static_assert(sizeof(((ia_host_api *)0)->channel_close) == 8, "sizeof(ia_host_api.channel_close)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.12 PINS ---- */

/* ---- ABI 1.13 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 13, "IA_ABI_MINOR");
_Static_assert(IA_ROUTE_FORM_OR_BODY == 32u, "IA_ROUTE_FORM_OR_BODY");
_Static_assert(IA_COMMAND_NO_TRANSACTION == 2u, "IA_COMMAND_NO_TRANSACTION");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(offsetof(ia_route_def, body_schema) == 200, "offsetof(ia_route_def, body_schema)");
_Static_assert(sizeof(((ia_route_def *)0)->body_schema) == 16, "sizeof(ia_route_def.body_schema)");
_Static_assert(sizeof(ia_route_def) >= 216, "sizeof(ia_route_def) in 1.13");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.13 PINS ---- */

/* ---- ABI 1.14 PINS ---- */
_Static_assert(IA_ABI_MINOR >= 14, "IA_ABI_MINOR");
#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
_Static_assert(offsetof(ia_host_api, redis_subscription_epoch) == 776, "offsetof(ia_host_api, redis_subscription_epoch)");
_Static_assert(sizeof(((ia_host_api *)0)->redis_subscription_epoch) == 8, "sizeof(ia_host_api.redis_subscription_epoch)");
#endif /* UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu */
/* ---- END ABI 1.14 PINS ---- */
