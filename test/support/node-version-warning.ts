/**
 * The AWS SDK warns once per process that its releases from January 2027 need Node 22. The tests
 * run on Node 20 in many worker processes, which printed it eight times per run; it is said once in
 * the README instead (the functions run on nodejs24.x). The command line keeps the warning: there it
 * is news for whoever runs it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
