#!/bin/sh
# Class-wide install as the README describes it: npm pack, install into a shared prefix as root,
# course directory in <prefix>/etc/eds/config.json, then `eds --version` and `eds doctor` as an
# unprivileged user whose home is empty. Usage: install.sh REPO WORKDIR USER COURSE_DIR
set -eu
repo=$1 work=$2 user=$3 course=$4
cd "$work"
# prepare (tsc) runs inside npm pack; optional native tfjs builds are left out to keep it fast. The
# install scripts allowed are the README's (npm 12 skips any other).
npm pack --silent "$repo" >pack.log 2>&1 || { cat pack.log >&2; exit 1; }
tarball=$(ls "$work"/eds-*.tgz)
prefix="$work/prefix"
npm install -g --prefix "$prefix" --allow-scripts=better-sqlite3,@tensorflow/tfjs-node,@tensorflow/tfjs-node-gpu --omit=optional --prefer-offline --no-audit --no-fund "$tarball" >install.log 2>&1 || { tail -20 install.log >&2; exit 1; }
mkdir -p "$prefix/etc/eds"
printf '{"course_dir": "%s"}\n' "$course" >"$prefix/etc/eds/config.json"
# Only the install is opened to everyone: a blanket chmod would also open the course directory (doctor catches that).
chmod -R a+rX "$prefix"
home="$work/home"
mkdir -m 700 "$home" && chown "$user" "$home"
run() { runuser -u "$user" -- env -i PATH="$prefix/bin:$PATH" HOME="$home" "$@"; }
run eds --version
run eds doctor --json >doctor.json
cat doctor.json
