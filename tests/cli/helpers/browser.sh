# browser.sh: what the family 9 tests (the HTML report in a real browser)
# share. Sourced after lib.sh. Chromium comes from Debian (make deps):
# headless, no sandbox (tests may run as root), no GPU, and a fresh
# profile in $T for each call, so no state is shared between runs; each
# call is bounded by a 60 s timeout.
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || die "$CHROMIUM: not installed (make deps installs chromium)"
# pyhelper: the checks written in Python (helpers/html_check.py).
HTML_CHECK=$HELPERS/html_check.py

# chromium_run ARGS... URL: runs headless Chromium; its stderr (D-Bus noise
# of a machine without a session bus) goes to $T/chromium.err. With
# NOJS=1, JavaScript is off for pages: the profile's content setting, as a
# user turns it off (--blink-settings=scriptEnabled=false makes this
# headless mode write nothing at all: it runs its own script to dump the
# DOM).
chromium_run() {
    local profile
    profile=$(mktemp -d "$T/profile.XXXXXX")
    if [ -n "${NOJS:-}" ]; then
        mkdir "$profile/Default"
        echo '{"profile":{"default_content_setting_values":{"javascript":2}}}' \
            >"$profile/Default/Preferences"
    fi
    timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu \
        --no-first-run --no-default-browser-check --disable-extensions \
        --disable-background-networking --disable-sync \
        --disable-component-update --mute-audio \
        --user-data-dir="$profile" "$@" 2>>"$T/chromium.err"
}

# dump_dom FILE [ARGS...]: the DOM of FILE after loading, on stdout.
dump_dom() {
    local f=$1
    shift
    chromium_run "$@" --dump-dom "file://$f"
}
