import { Component, onWillUnmount, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Progress bar of a background client import: follows the progress the import job
 * pushes on the bus ("client_management/import_progress") and reloads the record when
 * the job is over.
 */
export class ClientImportProgressField extends Component {
    static template = "client_management.ClientImportProgressField";
    static props = { ...standardFieldProps };

    setup() {
        this.state = useState({ progress: this.props.record.data[this.props.name] || 0 });
        this.bus = this.env.services.bus_service;
        this.onProgress = (payload) => this.updateProgress(payload);
        this.bus.subscribe("client_management/import_progress", this.onProgress);
        onWillUnmount(() => this.bus.unsubscribe("client_management/import_progress", this.onProgress));
    }

    get progress() {
        return Math.max(this.state.progress, this.props.record.data[this.props.name] || 0);
    }

    updateProgress({ job_id, progress }) {
        const job = this.props.record.data.job_id;
        if (!job || job.id !== job_id) {
            return;
        }
        this.state.progress = progress;
        if (progress >= 100) {
            this.props.record.load();
        }
    }
}

registry.category("fields").add("client_import_progress", {
    component: ClientImportProgressField,
    supportedTypes: ["float"],
});
