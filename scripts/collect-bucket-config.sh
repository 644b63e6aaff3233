#!/usr/bin/env bash
# Collects the bucket configuration `trawl audit` reads, with the AWS CLI, for every bucket of
# the current account:
#
#   OUT/_account/get-caller-identity.json        aws sts get-caller-identity
#   OUT/_account/get-public-access-block.json    aws s3control get-public-access-block
#   OUT/_account/list-accounts.json              aws organizations list-accounts (if allowed)
#   OUT/<bucket>/get-bucket-*.json               one file per aws s3api get-bucket-* call
#
# "No such configuration" answers (no policy, no encryption, no public access block, ...) leave
# the file absent. Any other failure is saved as <call>.error with the CLI's message, and the
# audit reports that aspect as UNKNOWN with the message.
#
# Usage: scripts/collect-bucket-config.sh OUT [--profile NAME] [--region REGION]
set -uo pipefail

if [[ $# -lt 1 || "$1" == -* ]]; then
    echo "usage: $0 OUT [--profile NAME] [--region REGION]" >&2
    exit 64
fi
out="$1"
shift
aws_args=("$@")

command -v aws >/dev/null 2>&1 || { echo "error: the AWS CLI (aws) is not on PATH" >&2; exit 2; }

not_configured='NoSuchBucketPolicy|ServerSideEncryptionConfigurationNotFoundError|NoSuchPublicAccessBlockConfiguration|ReplicationConfigurationNotFoundError|NoSuchTagSet|OwnershipControlsNotFoundError|AWSOrganizationsNotInUseException'

# save DIR NAME -- aws arguments...
save() {
    local dir="$1" name="$2"
    shift 3
    local tmp err
    tmp="$(mktemp)"
    err="$(mktemp)"
    if aws "$@" "${aws_args[@]}" --output json >"$tmp" 2>"$err"; then
        mv "$tmp" "$dir/$name.json"
        rm -f "$err"
    else
        rm -f "$tmp"
        if grep -Eq "$not_configured" "$err"; then
            rm -f "$err"
        else
            mv "$err" "$dir/$name.error"
            echo "warning: $name for ${dir##*/}: $(head -n 1 "$dir/$name.error")" >&2
        fi
    fi
}

mkdir -p "$out/_account" || exit 2
save "$out/_account" get-caller-identity -- sts get-caller-identity
account="$(aws sts get-caller-identity "${aws_args[@]}" --query Account --output text 2>/dev/null)" || {
    echo "error: cannot call sts get-caller-identity; check credentials" >&2
    exit 2
}
save "$out/_account" get-public-access-block -- s3control get-public-access-block --account-id "$account"
save "$out/_account" list-accounts -- organizations list-accounts

buckets="$(aws s3api list-buckets "${aws_args[@]}" --query 'Buckets[].Name' --output text)" || {
    echo "error: cannot list buckets" >&2
    exit 2
}
count=0
for bucket in $buckets; do
    dir="$out/$bucket"
    mkdir -p "$dir" || exit 2
    for call in get-bucket-policy get-bucket-acl get-bucket-encryption get-public-access-block \
        get-bucket-ownership-controls get-bucket-replication get-bucket-versioning \
        get-bucket-tagging get-bucket-location; do
        save "$dir" "$call" -- s3api "$call" --bucket "$bucket"
    done
    count=$((count + 1))
done
echo "collected $count bucket(s) of account $account into $out" >&2
